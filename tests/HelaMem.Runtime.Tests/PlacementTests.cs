using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Placement;
using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>Placement by rendezvous hash of a placement key: co-location of a user graph, spread of users.</summary>
public sealed class PlacementTests
{
    [Fact]
    public async Task All_grains_of_one_user_graph_land_on_one_silo()
    {
        await using var harness = await Harness.StartAsync(silos: 3);

        foreach (var user in new[] { "t1/u1", "t1/u2", "t2/u1" })
        {
            var graph = harness.Grains.GetGrain<IGraphGrain>(user);
            var graphSilo = await graph.Silo();
            var nodeSilos = await graph.NodeSilos(nodes: 32);
            Assert.All(nodeSilos, silo => Assert.Equal(graphSilo, silo));
        }
    }

    [Fact]
    public async Task Different_users_spread_over_the_silos()
    {
        await using var harness = await Harness.StartAsync(silos: 3);

        var silos = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => harness.Grains.GetGrain<IGraphGrain>($"t/u{i}").Silo()));

        Assert.Equal(3, silos.Distinct().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_fan_out_gathers_every_result(bool inlineExecution)
    {
        await using var harness = await Harness.StartAsync(silos: 2, options: o => o.InlineExecution = inlineExecution);

        Assert.Equal(2 * Enumerable.Range(0, 32).Sum(), await harness.Grains.GetGrain<IGraphGrain>("t/fan").FanOut(32));
    }

    [Fact]
    public void Rendezvous_hashing_moves_only_the_keys_of_a_leaving_silo()
    {
        var director = new RendezvousPlacementDirector();
        var silos = Enumerable.Range(0, 4).Select(i => new SiloAddress($"silo-{i}", 1)).ToList();
        var keys = Enumerable.Range(0, 2000).Select(i => $"t/u{i}").ToList();
        var before = keys.ToDictionary(k => k, k => director.Place(new GrainId("graph", k), k, silos));

        var remaining = silos.Where(s => s.Endpoint != "silo-2").ToList();
        var after = keys.ToDictionary(k => k, k => director.Place(new GrainId("graph", k), k, remaining));

        Assert.All(keys.Where(k => before[k].Endpoint != "silo-2"), k => Assert.Equal(before[k], after[k]));
        Assert.All(before.Values.GroupBy(s => s.Endpoint), group => Assert.InRange(group.Count(), 350, 650));
    }
}
