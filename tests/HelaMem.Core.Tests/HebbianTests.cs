using HelaMem.Core.Graph;

namespace HelaMem.Core.Tests;

public class HebbianTests
{
    private static readonly HebbianParameters Paper = HebbianParameters.From(HelaMemOptions.Default);
    private static readonly HebbianParameters Additive = HebbianParameters.From(HelaMemOptions.Default with { HebbianRule = HebbianRule.Additive });

    [Theory]
    [InlineData(HebbianRule.Additive)]
    [InlineData(HebbianRule.DecayingAverage)]
    public void Weights_are_capped_at_one_including_the_structural_part(HebbianRule rule)
    {
        var parameters = HebbianParameters.From(HelaMemOptions.Default with { HebbianRule = rule, LearningRate = 0.3f });
        var edges = new EdgeSet();
        edges.AddStructural(1, 0.5f);
        edges.AddStructural(2, 0f);

        for (var step = 1; step <= 20; step++)
        {
            edges.Reinforce(1, step, parameters);
            edges.Reinforce(2, step, parameters);
        }

        Assert.Equal(1f, edges.Weight(1, 20, parameters), 6);
        Assert.True(edges.Weight(2, 20, parameters) <= 1f);
        Assert.True(edges.Weight(2, 20, parameters) > 0.9f);
    }

    [Fact]
    public void Additive_rule_adds_eta_per_co_activation_and_never_decays()
    {
        var edges = new EdgeSet();
        edges.AddStructural(1, 0.5f);
        edges.Reinforce(1, 1, Additive);
        edges.Reinforce(1, 2, Additive);

        Assert.Equal(0.54f, edges.Weight(1, 2, Additive), 6);
        Assert.Equal(0.54f, edges.Weight(1, 10_000, Additive), 6);
    }

    [Fact]
    public void Paper_rule_decays_then_adds_eta()
    {
        var edges = new EdgeSet();
        edges.Reinforce(1, 1, Paper);
        Assert.Equal(0.02f, edges.Weight(1, 1, Paper), 7);

        // Untouched for 9 steps, then reinforced at step 11: 0.02·0.995^10 + 0.02.
        edges.Reinforce(1, 11, Paper);
        Assert.Equal((0.02 * Math.Pow(0.995, 10)) + 0.02, edges.Weight(1, 11, Paper), 6);
        Assert.Equal(((0.02 * Math.Pow(0.995, 10)) + 0.02) * Math.Pow(0.995, 5), edges.Weight(1, 16, Paper), 6);
    }

    [Fact]
    public void Lazy_decay_equals_eager_decay_on_a_random_sequence()
    {
        const int nodes = 7;
        var parameters = HebbianParameters.From(HelaMemOptions.Default with { LearningRate = 0.05f, DecayFactor = 0.97f, PruneThreshold = 0.02f });
        var lazy = Enumerable.Range(0, nodes).Select(_ => new EdgeSet()).ToArray();
        var structural = new float[nodes, nodes];
        var learned = new double[nodes, nodes];
        for (var i = 0; i + 1 < nodes; i++)
        {
            lazy[i].AddStructural(i + 1, 0.5f);
            lazy[i + 1].AddStructural(i, 0.5f);
            structural[i, i + 1] = structural[i + 1, i] = 0.5f;
        }

        var random = new Random(11);
        for (var step = 1; step <= 400; step++)
        {
            // Mostly small co-activated sets, sometimes long gaps in which nothing happens to a pair.
            var active = Enumerable.Range(0, nodes).Where(_ => random.NextDouble() < (step % 50 < 25 ? 0.4 : 0.05)).ToArray();

            // Eager: every learned weight decays every step, co-activated pairs gain η, cap, prune.
            for (var i = 0; i < nodes; i++)
            {
                for (var j = 0; j < nodes; j++)
                {
                    learned[i, j] *= parameters.DecayFactor;
                    if (i != j && active.Contains(i) && active.Contains(j))
                    {
                        learned[i, j] = Math.Min(1 - structural[i, j], learned[i, j] + parameters.LearningRate);
                    }

                    if (learned[i, j] < parameters.PruneThreshold)
                    {
                        learned[i, j] = 0;
                    }
                }
            }

            foreach (var i in active)
            {
                foreach (var j in active.Where(j => j != i))
                {
                    lazy[i].Reinforce(j, step, parameters);
                }
            }

            if (step % 37 == 0)
            {
                foreach (var edgeSet in lazy)
                {
                    edgeSet.Prune(step, parameters);
                }
            }

            for (var i = 0; i < nodes; i++)
            {
                for (var j = 0; j < nodes; j++)
                {
                    var eager = Math.Min(1.0, structural[i, j] + learned[i, j]);
                    Assert.Equal(eager, lazy[i].Weight(j, step, parameters), 1e-5);
                }
            }
        }
    }

    [Fact]
    public void Decayed_learned_edges_are_pruned_but_structural_edges_stay()
    {
        var edges = new EdgeSet();
        edges.AddStructural(1, 0.5f);
        edges.Reinforce(1, 1, Paper);
        edges.Reinforce(2, 1, Paper);

        // 0.02·0.995^t falls below 0.01 after 139 steps.
        Assert.True(edges.Weight(2, 139, Paper) > 0f);
        Assert.Equal(0f, edges.Weight(2, 140, Paper));
        Assert.Equal(0.5f, edges.Weight(1, 140, Paper), 6);

        Assert.Equal(1, edges.Prune(140, Paper));
        Assert.Equal(1, edges.Count);
        Assert.Equal(1, edges.NeighbourAt(0));

        // A pruned pair that fires again starts from η, as in the eager rule.
        edges.Reinforce(2, 141, Paper);
        Assert.Equal(0.02f, edges.Weight(2, 141, Paper), 6);
    }

    [Fact]
    public void Reinforcing_in_the_past_is_refused()
    {
        var edges = new EdgeSet();
        edges.Reinforce(1, 5, Paper);
        Assert.Throws<InvalidOperationException>(() => edges.Reinforce(1, 4, Paper));
        Assert.Throws<ArgumentOutOfRangeException>(() => edges.Reinforce(1, 0, Paper));
        Assert.Throws<ArgumentOutOfRangeException>(() => edges.AddStructural(1, 1.5f));
    }

    [Fact]
    public void Degree_sums_the_current_weights()
    {
        var edges = new EdgeSet();
        edges.AddStructural(1, 0.5f);
        edges.AddStructural(2, 0.5f);
        edges.Reinforce(3, 1, Additive);

        Assert.Equal(1.02f, edges.Degree(1, Additive), 6);
        Assert.Equal(0.02f, edges.LearnedDegree(1, Additive), 6);
    }
}
