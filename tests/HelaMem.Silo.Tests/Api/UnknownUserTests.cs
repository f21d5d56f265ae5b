using System.Net;
using System.Text.Json.Nodes;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Hosting;
using HelaMem.Persistence.Sqlite;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// An unknown user is refused from the tenant's user list without activating a user-graph grain; a tenant whose
/// state predates the list falls back to asking the graph until it has no users left.
/// </summary>
public sealed class UnknownUserTests
{
    [Fact]
    public async Task Probing_unknown_or_deleted_users_activates_no_graph()
    {
        await using var silo = new SiloFactory();
        var (tenant, key, http) = await silo.CreateTenantAsync("probe");
        http.Dispose();
        using var client = silo.TypedClient(key);
        using var ops = silo.TypedClient();
        await client.IngestAsync("alice", Samples.Conversation());

        var before = (await ops.GetClusterStatsAsync()).Activations;
        string[] strangers = ["bob", "carol", "dave", "erin", "frank"];
        foreach (var user in strangers)
        {
            await AssertUnknownAsync(client, user);
        }

        Assert.True((await ops.GetClusterStatsAsync()).Activations <= before, "probing unknown users activated grains");
        Assert.DoesNotContain(await ActiveGraphsAsync(silo, tenant), g => strangers.Contains(g));

        // A delete deactivates the user's graph (when idle): once it is gone, probing the deleted user activates none.
        await client.DeleteUserAsync("alice");
        await WaitUntilInactiveAsync(silo, tenant, "alice");
        await AssertUnknownAsync(client, "alice");
        Assert.Empty(await ActiveGraphsAsync(silo, tenant));
        Assert.Equal(0, (await ops.GetTenantStatsAsync(tenant)).Users);

        // The same user id can come back, and is known again.
        await client.IngestAsync("alice", Samples.Conversation());
        Assert.Equal(5, (await client.GetUserStatsAsync("alice")).Nodes);
    }

    [Fact]
    public async Task A_tenant_stored_before_the_user_list_falls_back_to_the_graph_until_it_has_no_users()
    {
        using var data = new TempDirectory();
        string tenant;
        string key;
        await using (var first = new SiloFactory(new Dictionary<string, string?>(), data))
        {
            (tenant, key, var http) = await first.CreateTenantAsync("legacy");
            http.Dispose();
            using var client = first.TypedClient(key);
            await client.IngestAsync("alice", Samples.Conversation());
        }

        await RewriteAsLegacyAsync(data.Path, tenant);

        await using var second = new SiloFactory(new Dictionary<string, string?>(), data);
        using var again = second.TypedClient(key);
        using var ops = second.TypedClient();

        // alice is not in the (missing) list: the graph answers, and she is found.
        Assert.Equal(5, (await again.GetUserStatsAsync("alice")).Nodes);

        // An unknown user is still 404, but only the graph could say so: it was activated.
        await AssertUnknownAsync(again, "bob");
        Assert.Contains("bob", await ActiveGraphsAsync(second, tenant));

        // The operator's listing says it is incomplete, and a tenant delete, which could not find alice, is refused
        // before it changes anything.
        Assert.False((await ops.ListTenantOwnersAsync(tenant)).Complete);
        var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => ops.DeleteTenantAsync(tenant));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("nothing was deleted", refused.Message, StringComparison.Ordinal);
        Assert.False((await ops.GetTenantAsync(tenant)).Disabled);
        Assert.Equal(5, (await again.GetUserStatsAsync("alice")).Nodes);

        // Deleting the tenant's last user makes the list complete: from then on nobody unknown activates a graph.
        await again.DeleteUserAsync("alice");
        Assert.Equal(0, (await ops.GetTenantStatsAsync(tenant)).Users);
        var before = (await ops.GetClusterStatsAsync()).Activations;
        await AssertUnknownAsync(again, "carol");
        Assert.DoesNotContain("carol", await ActiveGraphsAsync(second, tenant));
        Assert.True((await ops.GetClusterStatsAsync()).Activations <= before);

        // And the tenant can be deleted.
        Assert.True((await ops.ListTenantOwnersAsync(tenant)).Complete);
        Assert.Equal(tenant, (await ops.DeleteTenantAsync(tenant)).Tenant);
    }

    private static async Task AssertUnknownAsync(HelaMemClient client, string user)
    {
        Func<Task>[] probes =
        [
            () => client.GetUserStatsAsync(user),
            () => client.SearchAsync(user, new SearchRequest("anything at all")),
            () => client.ListMemoriesAsync(user),
            () => client.GetMemoryAsync(user, 0),
            () => client.GetProfileAsync(user),
            () => client.DeleteUserAsync(user),
        ];
        foreach (var probe in probes)
        {
            var refused = await Assert.ThrowsAsync<HelaMemApiException>(probe);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
    }

    /// <summary>The users of <paramref name="tenant"/> whose user-graph grain is active (Orleans' management grain).</summary>
    private static async Task<List<string>> ActiveGraphsAsync(SiloFactory silo, string tenant)
    {
        var prefix = tenant + "/";
        var statistics = await silo.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return [.. statistics
            .Select(s => s.GrainId)
            .Where(id => id.Type.ToString() == "user-graph" && id.Key.ToString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(id => id.Key.ToString()![prefix.Length..])
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Waits until the user's graph has finished deactivating (it deactivates when idle, after the call that asked).</summary>
    private static async Task WaitUntilInactiveAsync(SiloFactory silo, string tenant, string user)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await ActiveGraphsAsync(silo, tenant)).Contains(user))
        {
            Assert.False(deadline.IsCancellationRequested, $"The graph of {tenant}/{user} is still active 30 s after it was asked to deactivate.");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Rewrites the tenant grain's stored state as the version before the user list wrote it.</summary>
    private static async Task RewriteAsLegacyAsync(string dataDirectory, string tenant)
    {
        var activators = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();
        await using var storage = new SqliteGrainStorage(HelaMemGrains.StorageName, new SqliteStorageOptions { DataDirectory = dataDirectory }, activators, NullLogger<SqliteGrainStorage>.Instance);
        await storage.StartAsync();
        var grain = GrainId.Create("tenant", tenant);
        var stored = new GrainState<JsonObject>(new JsonObject());
        await storage.ReadStateAsync("tenant", grain, stored);
        Assert.True(stored.RecordExists, "the tenant state was not stored");
        var state = stored.State!;
        Assert.True(state.Remove("UserIds"), "the current state has a user list");
        Assert.True(state.Remove("UserListComplete"));
        Assert.Equal(1, state["Users"]!.GetValue<long>());
        await storage.WriteStateAsync("tenant", grain, stored);
    }
}
