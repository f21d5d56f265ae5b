using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Hosting;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HelaMem.Silo.Tests.Api;

public sealed class RestartTests
{
    [Fact]
    public async Task Tenants_keys_and_memories_survive_a_restart_of_the_host()
    {
        using var data = new TempDirectory();
        string apiKey;
        string revokedKey;
        SearchResult before;
        await using (var first = new SiloFactory(new Dictionary<string, string?>(), data))
        {
            var (tenant, key, http) = await first.CreateTenantAsync();
            http.Dispose();
            apiKey = key;
            using var ops = first.TypedClient();
            var extra = await ops.IssueKeyAsync(tenant);
            await ops.RevokeKeyAsync(tenant, extra.KeyId);
            revokedKey = extra.ApiKey;
            using var client = first.TypedClient(apiKey);
            await client.IngestAsync("alice", Samples.Conversation());
            before = await client.SearchAsync("alice", new SearchRequest("violin weekends"));
        }

        await using var second = new SiloFactory(new Dictionary<string, string?>(), data);
        using var again = second.TypedClient(apiKey);
        var page = await again.ListMemoriesAsync("alice");
        Assert.Equal(5, page.Items.Count);
        Assert.Equal("D1:4", page.Items[3].Metadata["dia_id"]);
        var after = await again.SearchAsync("alice", new SearchRequest("violin weekends"));
        Assert.Equal(before.Items[0].Id, after.Items[0].Id);
        Assert.Equal(before.Items[0].Content, after.Items[0].Content);

        using var revoked = second.TypedClient(revokedKey);
        var refused = await Assert.ThrowsAsync<HelaMem.Client.HelaMemApiException>(() => revoked.GetUserStatsAsync("alice"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_graceful_stop_flushes_the_learned_weights_and_step_and_a_restart_continues_them()
    {
        using var data = new TempDirectory();
        string tenant;
        string apiKey;
        long[] nodes;
        Dictionary<long, NodeData> learned;
        string[] queries = ["violin weekends", "Rex the golden retriever puppy", "sister architect in Lisbon"];

        // Write-behind every hour: nothing learned reaches storage before the stop, so only the stop's flush can keep it.
        await using (var first = new SiloFactory(new Dictionary<string, string?>(), data, services => GrainOptions(services).WeightFlushInterval = TimeSpan.FromHours(1)))
        {
            (tenant, apiKey, var http) = await first.CreateTenantAsync("stop");
            http.Dispose();
            using var client = first.TypedClient(apiKey);
            nodes = [.. (await client.IngestAsync("alice", Samples.Conversation())).NodeIds];

            // Each search reinforces its items (one-way): the newest reinforcement each node must have applied.
            var expected = new Dictionary<long, long>();
            foreach (var query in queries)
            {
                var result = await client.SearchAsync("alice", new SearchRequest(query));
                foreach (var item in result.Items)
                {
                    expected[item.Id] = result.RetrievalId;
                }
            }

            Assert.Equal(3, (await client.GetUserStatsAsync("alice")).Step);
            learned = await ReadNodesAsync(first, tenant, nodes, atStep: 3, until: node => node.AppliedReinforcementId == expected.GetValueOrDefault(node.NodeId));
            Assert.Contains(learned.Values, node => node.Edges.Any(edge => edge.LearnedWeight > 0f));
            Assert.Contains(learned.Values, node => node.AccessCount > 0);
        }

        await using var second = new SiloFactory(new Dictionary<string, string?>(), data);
        using var again = second.TypedClient(apiKey);
        var stats = await again.GetUserStatsAsync("alice");
        Assert.Equal((5, 3, 3), (stats.Nodes, stats.Step, stats.Retrievals));
        var restored = await ReadNodesAsync(second, tenant, nodes, atStep: 3, until: _ => true);
        foreach (var id in nodes)
        {
            Assert.Equal(learned[id].AccessCount, restored[id].AccessCount);
            Assert.Equal(learned[id].AppliedReinforcementId, restored[id].AppliedReinforcementId);
            Assert.Equal(learned[id].Edges, restored[id].Edges);
        }

        // Learning continues from the kept step; the tenant gets the retrievals counted once (those of the stopped
        // silo were kept by the graph over the stop and are reported after its activation here).
        Assert.Equal(4, (await again.SearchAsync("alice", new SearchRequest(queries[0]))).RetrievalId);
        using var ops = second.TypedClient();
        await WaitForRetrievalsAsync(ops, tenant, 4);
    }

    private static HelaMemGrainOptions GrainOptions(IServiceCollection services) =>
        (HelaMemGrainOptions)services.Single(d => d.ServiceType == typeof(HelaMemGrainOptions)).ImplementationInstance!;

    /// <summary>Reads the nodes at <paramref name="atStep"/>, asking again until each satisfies <paramref name="until"/> (one-way updates may still be on their way).</summary>
    private static async Task<Dictionary<long, NodeData>> ReadNodesAsync(SiloFactory silo, string tenant, long[] nodes, long atStep, Func<NodeData, bool> until)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var read = await Task.WhenAll(nodes.Select(id => silo.Grains.GetGrain<IMemoryNodeGrain>($"{tenant}/alice/{id}").Read(atStep)));
            Assert.All(read, node => Assert.NotNull(node));
            if (read.All(node => until(node!)))
            {
                return read.ToDictionary(node => node!.NodeId, node => node!);
            }

            Assert.False(deadline.IsCancellationRequested, "The nodes did not apply the searches' reinforcements within 30 s.");
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>Waits until the tenant counted <paramref name="expected"/> retrievals (reported one-way); fails at once if it counted more.</summary>
    private static async Task WaitForRetrievalsAsync(HelaMem.Client.HelaMemClient ops, string tenant, long expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var counted = (await ops.GetTenantStatsAsync(tenant)).Retrievals;
            Assert.True(counted <= expected, $"The tenant counted {counted} retrievals; there were {expected}.");
            if (counted == expected)
            {
                return;
            }

            Assert.False(deadline.IsCancellationRequested, $"The tenant counted {counted} of {expected} retrievals after 30 s.");
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
