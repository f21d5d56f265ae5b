using HelaMem.Abstractions.Contracts;
using HelaMem.Core;
using HelaMem.Core.Graph;
using HelaMem.Grains.Graph;

namespace HelaMem.Grains.Tests.Graph;

/// <summary>
/// The user graph's learned-weight bounds against the core's own EdgeSet under random update sequences: they never
/// fall below what a node pulls, and when they say no learned edge carries activation the node's pull is exactly
/// its structural pull (the graph then computes it itself).
/// </summary>
public sealed class LearnedEdgeBoundsTests
{
    private const int Nodes = 24;
    private const float Threshold = 0.4f;
    private const float Slack = 1.0001f;

    public static TheoryData<string> Rules => ["released", "additive", "fast-decay"];

    [Theory]
    [MemberData(nameof(Rules))]
    public void Bounds_stay_above_every_nodes_learned_pull_and_are_zero_only_when_the_pull_is_structural(string rule)
    {
        var options = rule switch
        {
            "released" => HelaMemOptions.Default,
            "additive" => HelaMemOptions.Default with { HebbianRule = HebbianRule.Additive, LearningRate = 0.15f },
            _ => HelaMemOptions.Default with { DecayFactor = 0.8f, LearningRate = 0.1f, PruneThreshold = 0.01f },
        };
        var parameters = HebbianParameters.From(options);
        var random = new Random(17);
        var sets = new EdgeSet[Nodes];
        var structural = new List<(int Neighbour, float Weight)>[Nodes];
        for (var j = 0; j < Nodes; j++)
        {
            sets[j] = new EdgeSet();
            structural[j] = [];
        }

        // A temporal chain with strong edges, so that the cap at 1 − structural is exercised too.
        for (var j = 1; j < Nodes; j++)
        {
            var weight = j % 3 == 0 ? 0.95f : 0.5f;
            sets[j].AddStructural(j - 1, weight);
            sets[j - 1].AddStructural(j, weight);
            structural[j].Add((j - 1, weight));
            structural[j - 1].Add((j, weight));
        }

        foreach (var list in structural)
        {
            list.Sort((a, b) => a.Neighbour.CompareTo(b.Neighbour));
        }

        var bounds = new LearnedEdgeBounds(options);
        for (var j = 0; j < Nodes; j++)
        {
            bounds.AddNode();
        }

        var structuralOnly = 0;
        var learned = 0;
        for (var step = 1L; step <= 400; step++)
        {
            // Most steps reinforce a set; some leave a gap (decay), some add a second update in the same step
            // (usage feedback after a retrieval).
            var updates = random.Next(10) switch { < 5 => 0, < 9 => 1, _ => 2 };
            for (var u = 0; u < updates; u++)
            {
                long[] members = [.. Enumerable.Range(0, Nodes).OrderBy(_ => random.Next()).Take(random.Next(2, 5)).Select(i => (long)i)];
                foreach (var member in members)
                {
                    foreach (var other in members)
                    {
                        if (other != member)
                        {
                            sets[member].Reinforce((int)other, step, parameters);
                        }
                    }
                }

                bounds.Reinforce(members, step);
            }

            if (step == 200)
            {
                // A reactivated graph starts from what the nodes report, at a later step than some of their updates.
                bounds = Restored(options, sets, structural, step, parameters);
            }

            var scores = new float[Nodes];
            for (var i = 0; i < Nodes; i++)
            {
                scores[i] = (float)random.NextDouble() * 0.6f;
            }

            for (var j = 0; j < Nodes; j++)
            {
                var pull = sets[j].Pull(scores, Threshold, step, parameters);
                var structuralPull = 0f;
                foreach (var (neighbour, weight) in structural[j])
                {
                    if (scores[neighbour] > Threshold)
                    {
                        structuralPull += scores[neighbour] * Math.Min(1f, weight + 0f);
                    }
                }

                var bound = bounds.LearnedPull(j, scores, Threshold, step, Slack);
                if (bound == 0f)
                {
                    Assert.Equal(pull, structuralPull);
                    structuralOnly++;
                }
                else
                {
                    Assert.True(structuralPull + (bound * Slack) >= pull, $"Step {step}, node {j}: pull {pull} above structural {structuralPull} + bound {bound}.");
                    learned++;
                }
            }
        }

        // Both branches were exercised many times.
        Assert.True(structuralOnly > 300, $"{structuralOnly} structural-only pulls");
        Assert.True(learned > 300, $"{learned} pulls with learned weights");
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_decayed_degree_bound_stays_above_the_nodes_learned_degree_and_shrinks_when_nothing_is_learned(string rule)
    {
        var options = rule switch
        {
            "released" => HelaMemOptions.Default,
            "additive" => HelaMemOptions.Default with { HebbianRule = HebbianRule.Additive, LearningRate = 0.15f },
            _ => HelaMemOptions.Default with { DecayFactor = 0.8f, LearningRate = 0.1f, PruneThreshold = 0.01f },
        };
        var parameters = HebbianParameters.From(options);
        var random = new Random(23);
        var sets = new EdgeSet[Nodes];
        var degrees = new float[Nodes];
        var validAt = new long[Nodes];
        for (var j = 0; j < Nodes; j++)
        {
            sets[j] = new EdgeSet();
            if (j > 0)
            {
                sets[j].AddStructural(j - 1, 0.5f);
                sets[j - 1].AddStructural(j, 0.5f);
            }
        }

        var bounds = new LearnedEdgeBounds(options);
        var shrank = 0;
        for (var step = 1L; step <= 600; step++)
        {
            // As the user graph keeps it: an update grows the bound by η per partner on top of its decayed value; a
            // node that answers a wave resets it to its exact learned degree (times the slack) at the wave's step.
            // The long quiet stretch lets the decaying rules take weights below the prune threshold and to the end of
            // the decay table.
            var updates = step is > 300 and < 450 ? 0 : random.Next(10) switch { < 5 => 0, < 9 => 1, _ => 2 };
            for (var u = 0; u < updates; u++)
            {
                long[] members = [.. Enumerable.Range(0, Nodes).OrderBy(_ => random.Next()).Take(random.Next(2, 6)).Select(i => (long)i)];
                foreach (var member in members)
                {
                    foreach (var other in members)
                    {
                        if (other != member)
                        {
                            sets[member].Reinforce((int)other, step, parameters);
                        }
                    }

                    degrees[member] = bounds.DecayDegree(degrees[member], validAt[member], step) + (options.LearningRate * (members.Length - 1) * Slack);
                    validAt[member] = step;
                }
            }

            for (var j = 0; j < Nodes; j++)
            {
                var exact = sets[j].LearnedDegree(step, parameters);
                var bound = bounds.DecayDegree(degrees[j], validAt[j], step);
                Assert.True(bound >= exact, $"Step {step}, node {j}: learned degree {exact} above its bound {bound}.");
                shrank += bound < degrees[j] ? 1 : 0;
                if (random.Next(8) == 0)
                {
                    degrees[j] = exact * Slack;
                    validAt[j] = step;
                }
            }
        }

        // Without decay the bound never shrinks by reading it later; with decay it does, many times.
        if (rule == "additive")
        {
            Assert.Equal(0, shrank);
        }
        else
        {
            Assert.True(shrank > 1000, $"{shrank} reads below the stored bound");
        }
    }

    private static LearnedEdgeBounds Restored(HelaMemOptions options, EdgeSet[] sets, List<(int Neighbour, float Weight)>[] structural, long step, HebbianParameters parameters)
    {
        var bounds = new LearnedEdgeBounds(options);
        for (var j = 0; j < sets.Length; j++)
        {
            bounds.AddNode();

            // As the node grain's Read reports its edges, read at an earlier step than the one the graph resumes at.
            var edges = new EdgeData[sets[j].Count];
            for (var p = 0; p < edges.Length; p++)
            {
                var neighbour = sets[j].NeighbourAt(p);
                var structuralWeight = structural[j].FirstOrDefault(e => e.Neighbour == neighbour).Weight;
                edges[p] = new EdgeData(neighbour, sets[j].WeightAt(p, step - 3, parameters), sets[j].LearnedWeightAt(p, step - 3, parameters), structuralWeight);
            }

            bounds.Restore(j, edges, step, Slack);
        }

        return bounds;
    }
}
