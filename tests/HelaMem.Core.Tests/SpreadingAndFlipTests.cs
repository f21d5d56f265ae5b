using HelaMem.Core.Graph;
using HelaMem.Core.Retrieval;

namespace HelaMem.Core.Tests;

public class SpreadingAndFlipTests
{
    private static readonly HebbianParameters Additive = new(HebbianRule.Additive, 0.02f, 1f, 0.01f);

    [Fact]
    public void Only_seeds_above_the_threshold_spread_base_times_weight_times_beta()
    {
        // 0 — 1 — 2, temporal weight 0.5; node 1 is below θ = 0.4 and does not spread.
        var edges = Chain(3, 0.5f);
        float[] baseScores = [0.9f, 0.3f, 0.5f];
        var scores = new float[3];

        var seeds = SpreadingActivation.Spread(baseScores, edges, 0.4f, 0.1f, 0, Additive, scores);

        Assert.Equal(2, seeds);
        Assert.Equal(0.9f, scores[0], 6);
        Assert.Equal(0.3f + (0.1f * ((0.9f * 0.5f) + (0.5f * 0.5f))), scores[1], 6);
        Assert.Equal(0.5f, scores[2], 6);
    }

    [Fact]
    public void Contributions_gathered_from_node_grains_add_up_like_the_in_memory_pass()
    {
        var edges = Chain(4, 0.5f);
        float[] baseScores = [0.9f, 0.6f, 0.45f, 0.2f];
        var inMemory = new float[4];
        SpreadingActivation.Spread(baseScores, edges, 0.4f, 0.1f, 0, Additive, inMemory);

        // The grain way: each seed writes its contributions into its own sparse buffer; the graph sums them.
        var gathered = baseScores.ToArray();
        for (var i = 0; i < 4; i++)
        {
            if (baseScores[i] > 0.4f)
            {
                var own = new float[4];
                edges[i]!.Spread(baseScores[i], 0.1f, 0, Additive, own);
                var contributions = own.Select((s, j) => new ScoredIndex(j, s)).Where(c => c.Score != 0).ToArray();
                SpreadingActivation.Accumulate(contributions, gathered);
            }
        }

        Assert.Equal(inMemory, gathered);
    }

    [Fact]
    public void A_node_outside_the_base_top_k_enters_through_the_flip_pathway()
    {
        float[] baseScores = [0.9f, 0.8f, 0.75f, 0.1f];
        var edges = new EdgeSet?[4];
        Link(edges, 3, 0, 1f);
        Link(edges, 3, 1, 1f);
        var spread = new float[4];
        SpreadingActivation.Spread(baseScores, edges, 0.4f, 1f, 0, Additive, spread);
        // Node 3: 0.1 + 0.9 + 0.8 = 1.8; nodes 0 and 1 get nothing from node 3 (below θ).
        Assert.Equal(1.8f, spread[3], 5);

        var result = new SelectedNode[3];
        var count = DualPathwaySelector.Select(baseScores, spread, 2, 1, new ScoredIndex[4], result);

        Assert.Equal(3, count);
        Assert.Equal([(0, Pathway.Base), (1, Pathway.Base), (3, Pathway.Flip)], result.Select(r => (r.Index, r.Pathway)));
        Assert.Equal(0.1f, result[2].BaseScore, 5);
        Assert.Equal(1.8f, result[2].Score, 5);
    }

    [Fact]
    public void At_most_m_flipped_nodes_are_added_and_none_when_m_is_zero()
    {
        float[] baseScores = [0.9f, 0.8f, 0.1f, 0.05f];
        float[] spread = [0.9f, 0.8f, 2f, 1.5f];
        var result = new SelectedNode[7];

        Assert.Equal(3, DualPathwaySelector.Select(baseScores, spread, 2, 1, new ScoredIndex[4], result));
        Assert.Equal(2, result[2].Index);
        Assert.Equal(2, DualPathwaySelector.Select(baseScores, spread, 2, 0, new ScoredIndex[4], result));
        Assert.Equal(4, DualPathwaySelector.Select(baseScores, spread, 2, 5, new ScoredIndex[4], result));
        Assert.Equal([0, 1, 2, 3], result.Take(4).Select(r => r.Index));
    }

    private static EdgeSet?[] Chain(int n, float weight)
    {
        var edges = new EdgeSet?[n];
        for (var i = 0; i + 1 < n; i++)
        {
            Link(edges, i, i + 1, weight);
        }

        return edges;
    }

    private static void Link(EdgeSet?[] edges, int a, int b, float weight)
    {
        (edges[a] ??= new EdgeSet()).AddStructural(b, weight);
        (edges[b] ??= new EdgeSet()).AddStructural(a, weight);
    }
}

public class SpreadWhereItMattersTests
{
    [Theory]
    [InlineData(1, HebbianRule.Additive)]
    [InlineData(2, HebbianRule.DecayingAverage)]
    [InlineData(3, HebbianRule.DecayingAverage)]
    public void Selects_exactly_what_the_full_spreading_pass_selects(int seed, HebbianRule rule)
    {
        var random = new Random(seed);
        const int n = 300;
        var parameters = HebbianParameters.From(HelaMemOptions.Default with { HebbianRule = rule });
        var edges = new EdgeSet?[n];
        var degrees = new float[n];
        for (var i = 0; i + 1 < n; i++)
        {
            LinkBoth(edges, i, i + 1, 0.5f);
        }

        // Learned edges from random co-activations, symmetric as the graph lays them down.
        for (var step = 1; step <= 60; step++)
        {
            var group = Enumerable.Range(0, 6).Select(_ => random.Next(n)).Distinct().ToArray();
            foreach (var a in group)
            {
                foreach (var b in group.Where(b => b != a))
                {
                    (edges[a] ??= new EdgeSet()).Reinforce(b, step, parameters);
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            degrees[i] = edges[i]?.Degree(60, parameters) ?? 0f;
        }

        for (var query = 0; query < 20; query++)
        {
            var baseScores = Enumerable.Range(0, n).Select(_ => (float)(0.3 + random.NextDouble())).ToArray();
            baseScores[random.Next(n)] = float.NegativeInfinity;
            var full = new float[n];
            var pruned = new float[n];
            SpreadingActivation.Spread(baseScores, edges, 0.4f, 0.5f, 60, parameters, full);
            var scratch = new ScoredIndex[30];
            var baseCount = TopK.Select(baseScores, 15, scratch.AsSpan(0, 15));
            var computed = SpreadingActivation.SpreadWhereItMatters(baseScores, edges, degrees, scratch[14].Score, 0.4f, 0.5f, 60, parameters, pruned);

            var expected = new SelectedNode[18];
            var actual = new SelectedNode[18];
            var expectedCount = DualPathwaySelector.Select(baseScores, full, 15, 3, new ScoredIndex[30], expected);
            var actualCount = DualPathwaySelector.Complete(baseScores, pruned, 15, 3, baseCount, scratch, actual);

            Assert.Equal(expectedCount, actualCount);
            Assert.Equal(expected.Select(e => (e.Index, e.Pathway)), actual.Select(a => (a.Index, a.Pathway)));
            for (var i = 0; i < actualCount; i++)
            {
                Assert.Equal(expected[i].Score, actual[i].Score, 4);
            }

            Assert.True(computed < n, "nodes that cannot reach the top k are skipped");
        }
    }

    private static void LinkBoth(EdgeSet?[] edges, int a, int b, float weight)
    {
        (edges[a] ??= new EdgeSet()).AddStructural(b, weight);
        (edges[b] ??= new EdgeSet()).AddStructural(a, weight);
    }
}
