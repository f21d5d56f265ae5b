using BenchmarkDotNet.Attributes;
using HelaMem.Core;
using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;
using HelaMem.Embeddings;

namespace HelaMem.Benchmarks.Core;

/// <summary>
/// One retrieval of the in-memory core with the query vector given (the user-graph grain's hot path): the base
/// scan over every node, spreading over the edges of every seed, and the dual-pathway selection; and the same
/// followed by the Hebbian update of the result. The graph has temporal edges plus the learned edges of 500
/// earlier retrievals, under the released options (every pair of each result learns) or HelaMem's recommended
/// ones (docs/evaluation.md: relevance-gated learning, stronger spreading, stemmed, inherited, idf-weighted
/// keywords). Targets: p50 ≤ 50 µs at 1k nodes, ≤ 0.5 ms at 10k, ≤ 5 ms at 100k.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*RetrievalBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class RetrievalBenchmarks
{
    private readonly SelectedNode[] _result = new SelectedNode[HelaMemOptions.Default.TopK + HelaMemOptions.Default.MaxFlipped];
    private readonly int[] _selected = new int[HelaMemOptions.Default.TopK + HelaMemOptions.Default.MaxFlipped];
    private MemoryGraph _graph = null!;
    private float[] _query = [];
    private string[] _queryKeywords = [];
    private DateTimeOffset _now;

    /// <summary>Nodes in the graph.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Nodes { get; set; }

    /// <summary>The options: <c>released</c> or <c>helamem</c>.</summary>
    [Params("released", "helamem")]
    public string Configuration { get; set; } = "released";

    /// <summary>HelaMem's recommended options (the <c>helamem</c> evaluation variant).</summary>
    public static HelaMemOptions Recommended { get; } = HelaMemOptions.Default with
    {
        StemKeywords = true,
        InheritPreviousKeywords = true,
        KeywordWeighting = KeywordWeighting.Idf,
        SpreadingWeight = 0.5f,
        ReinforcementTopN = 3,
    };

    /// <summary>Builds the graph, its common component and some learned edges.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var embedder = new HashingEmbedder(100);
        var options = Configuration == "helamem" ? Recommended : HelaMemOptions.Default;
        _graph = new MemoryGraph(embedder, options);
        var start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var turns = SyntheticConversation.Turns(Nodes, seed: 42);
        for (var i = 0; i < turns.Length; i++)
        {
            _graph.Add(new NewMemory(turns[i], i % 2 == 0 ? "Alice" : "Bob", start.AddMinutes(i)));
        }

        _graph.RefreshCommonComponent();
        _now = start.AddMinutes(Nodes);
        foreach (var question in SyntheticConversation.Turns(500, seed: 7))
        {
            _graph.Retrieve(question, _now);
        }

        var query = SyntheticConversation.Turns(1, seed: 99)[0];
        _query = new float[embedder.Dimensions];
        embedder.Embed(query, _query);
        _queryKeywords = KeywordExtractor.Extract(query, options.StemKeywords);
    }

    /// <summary>Base scan, spreading and dual-pathway selection.</summary>
    [Benchmark]
    public int Select() => _graph.Select(_query, _queryKeywords, _now, _result);

    /// <summary>Selection followed by the Hebbian update of the selected set.</summary>
    [Benchmark]
    public int SelectAndReinforce()
    {
        var count = _graph.Select(_query, _queryKeywords, _now, _result);
        for (var i = 0; i < count; i++)
        {
            _selected[i] = _result[i].Index;
        }

        _graph.Reinforce(_selected.AsSpan(0, count));
        return count;
    }
}
