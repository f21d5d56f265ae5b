using BenchmarkDotNet.Attributes;
using HelaMem.Abstractions.Contracts;
using HelaMem.Benchmarks.Core;
using HelaMem.Core;
using HelaMem.Core.Memory;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Sessions;
using HelaMem.TestingHost;

namespace HelaMem.Benchmarks.Grains;

/// <summary>
/// One full retrieval (query embedding, base scan, spreading, dual pathway, Hebbian update, context) of the same
/// graph through the core's in-memory MemoryGraph and through the memory grains of a one-silo in-process cluster
/// (in-memory storage), with the same queries in the same order, so the two engines hold the same learned weights.
/// Target (issue 5): grains within 3× of the core; p50 ≤ 0.5 ms at 700 nodes.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainRetrievalBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainRetrievalBenchmarks
{
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private string[] _queries = [];
    private int _next;
    private MemoryGraph? _core;
    private TestCluster? _cluster;
    private GrainRetrievalSession? _session;
    private DateTimeOffset _now;

    /// <summary>Nodes in the graph (700: a long LoCoMo conversation).</summary>
    [Params(700, 5_000)]
    public int Nodes { get; set; }

    /// <summary><c>core</c> or <c>grains</c>.</summary>
    [Params("core", "grains")]
    public string Engine { get; set; } = "core";

    /// <summary>Builds the graph in the chosen engine and runs 200 warm-up retrievals (learned edges, JIT, activations).</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var embedder = new HashingEmbedder(100);
        var turns = SyntheticConversation.Turns(Nodes, seed: 42);
        var messages = turns.Select((text, i) => new IngestMessage(text, i % 2 == 0 ? "Alice" : "Bob", Start.AddMinutes(i), "conversation")).ToList();
        _queries = [.. SyntheticConversation.Turns(256, seed: 7)];
        _now = Start.AddMinutes(Nodes);
        if (Engine == "core")
        {
            _core = new MemoryGraph(embedder, HelaMemOptions.Default);
            foreach (var message in messages)
            {
                _core.Add(new NewMemory(message.Content, message.Speaker, message.Timestamp, message.Thread));
            }
        }
        else
        {
            _cluster = await new TestClusterBuilder().AddGrainAssembly(HelaMemGrains.Assembly).ConfigureSilo(silo => silo.AddHelaMemGrains(o => o.ScheduleConsolidation = false, embedder)).DeployAsync();
            _session = new GrainRetrievalSession(_cluster.GrainFactory, "bench", "user");
            await _session.IngestAsync(messages, batchSize: 500);
        }

        for (var i = 0; i < 200; i++)
        {
            await RetrieveAsync();
        }
    }

    /// <summary>Stops the cluster.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>One retrieval.</summary>
    [Benchmark]
    public async Task<int> RetrieveAsync()
    {
        var query = _queries[_next++ % _queries.Length];
        if (_core is not null)
        {
            return _core.Retrieve(query, _now).Memories.Count;
        }

        return (await _session!.RetrieveAsync(query, _now)).Items.Count;
    }
}
