using HelaMem.Core.Graph;
using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;

namespace HelaMem.Core.Tests;

/// <summary>
/// The graph's fast selection (spreading bounded by degrees, temporal-chain fast path) must select exactly what the
/// plain definition selects: S_base, the full spreading pass over every node's edges, then the dual pathway.
/// </summary>
public class SelectMatchesReferenceTests
{
    private static readonly string[] Words =
        ["apple", "river", "guitar", "Paris", "Rex", "garden", "painting", "marathon", "bread", "jazz", "puppy", "beach", "Monterey", "violin", "camping"];

    [Theory]
    [InlineData(HebbianRule.Additive, 0.1f, 0)]
    [InlineData(HebbianRule.DecayingAverage, 0.5f, 3)]
    [InlineData(HebbianRule.DecayingAverage, 0.1f, 0)]
    public void Fast_selection_equals_the_definition(HebbianRule rule, float beta, int gate)
    {
        var options = HelaMemOptions.Default with
        {
            HebbianRule = rule,
            SpreadingWeight = beta,
            ReinforcementTopN = gate,
            EntityEdgeWeight = 0.3f,
            TopK = 6,
            MaxFlipped = 3,
            DecayFactor = 0.9f,
        };
        var random = new Random(5);
        var graph = new MemoryGraph(new BagOfWordsEmbedder(), options);
        var start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 120; i++)
        {
            var text = string.Join(' ', Enumerable.Range(0, 6).Select(_ => Words[random.Next(Words.Length)]));
            graph.Add(new NewMemory($"{(i % 2 == 0 ? "Ann" : "Ben")}: we talked about {text}.", i % 2 == 0 ? "Ann" : "Ben", start.AddMinutes(i), i < 60 ? "a" : "b"));
        }

        var actual = new SelectedNode[9];
        var expected = new SelectedNode[9];
        var baseScores = new float[graph.Count];
        var full = new float[graph.Count];
        for (var q = 0; q < 200; q++)
        {
            var query = string.Join(' ', Enumerable.Range(0, 3).Select(_ => Words[random.Next(Words.Length)]));
            var vector = new float[graph.Index.Dimensions];
            new BagOfWordsEmbedder().Embed(query, vector);
            var keywords = KeywordExtractor.Extract(query);

            var count = graph.Select(vector, keywords, start, actual);

            graph.Index.ComputeBaseScores(vector, keywords, start, options, baseScores);
            var edges = Enumerable.Range(0, graph.Count).Select(i => (EdgeSet?)graph.GetEdges(i)).ToArray();
            SpreadingActivation.Spread(baseScores, edges, options.SpreadingThreshold, options.SpreadingWeight, graph.Step, graph.Hebbian, full);
            var expectedCount = DualPathwaySelector.Select(baseScores, full, options.TopK, options.MaxFlipped, new ScoredIndex[12], expected);

            Assert.Equal(expectedCount, count);
            Assert.Equal(expected.Take(count).Select(e => (e.Index, e.Pathway)), actual.Take(count).Select(a => (a.Index, a.Pathway)));
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(expected[i].Score, actual[i].Score, 1e-4);
            }

            // Learn (and now and then prune), so that later queries see learned, decayed and pruned edges.
            graph.Retrieve(query, start);
            if (q % 50 == 49)
            {
                graph.PruneEdges();
            }
        }
    }
}
