using System.Net;
using System.Text;
using HelaMem.Grains.Placement;
using Orleans.Runtime;

namespace HelaMem.Grains.Tests;

/// <summary>The user-graph placement director's rendezvous hashing: stable, balanced, and moving the fewest graphs.</summary>
public sealed class PlacementDirectorTests
{
    private static readonly string[] Graphs = [.. Enumerable.Range(0, 3000).Select(i => $"tenant{i % 7}/user{i}")];

    [Fact]
    public void Every_grain_of_a_graph_maps_to_the_graph_key()
    {
        Assert.Equal("acme/alice", Prefix("acme/alice"));
        Assert.Equal("acme/alice", Prefix("acme/alice/42"));
        Assert.Equal("acme/alice", Prefix("acme/alice/42/extra"));
        Assert.Equal("acme", Prefix("acme"));
    }

    [Fact]
    public void Graphs_spread_evenly_over_the_silos_whatever_order_the_silos_are_listed_in()
    {
        var silos = Silos(11111, 11112, 11113, 11114);
        var owners = Graphs.Select(g => Choose(g, silos)).ToList();

        Assert.All(silos.Select(s => owners.Count(o => o.Equals(s))), count => Assert.InRange(count, 600, 900));
        var reversed = silos.Reverse().ToArray();
        Assert.Equal(owners, Graphs.Select(g => Choose(g, reversed)));
    }

    [Fact]
    public void A_silo_joining_takes_about_its_share_and_every_other_graph_stays()
    {
        var before = Silos(11111, 11112, 11113);
        var after = Silos(11111, 11112, 11113, 11114);
        var moved = 0;
        foreach (var graph in Graphs)
        {
            var was = Choose(graph, before);
            var now = Choose(graph, after);
            if (!was.Equals(now))
            {
                // A graph moves only to the new silo.
                Assert.Equal(after[3], now);
                moved++;
            }
        }

        Assert.InRange(moved, Graphs.Length / 4 - 150, Graphs.Length / 4 + 150);
    }

    [Fact]
    public void A_silo_leaving_moves_only_its_own_graphs_and_a_restarted_silo_gets_them_back()
    {
        var all = Silos(11111, 11112, 11113);
        var without = Silos(11111, 11113);
        foreach (var graph in Graphs)
        {
            var owner = Choose(graph, all);
            if (!owner.Equals(all[1]))
            {
                Assert.Equal(owner, Choose(graph, without));
            }
        }

        // A restarted silo keeps its endpoint and gets a new generation: it owns the same graphs again.
        var restarted = new[] { all[0], SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), all[1].Generation + 1000), all[2] };
        Assert.Equal(Graphs.Select(g => Choose(g, all).Endpoint), Graphs.Select(g => Choose(g, restarted).Endpoint));
    }

    private static SiloAddress[] Silos(params int[] ports) =>
        [.. ports.Select(port => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1))];

    private static SiloAddress Choose(string graph, SiloAddress[] silos) =>
        UserGraphPlacementDirector.Choose(Encoding.UTF8.GetBytes(graph), silos);

    private static string Prefix(string key) => Encoding.UTF8.GetString(UserGraphPlacementDirector.GraphPrefix(Encoding.UTF8.GetBytes(key)));
}
