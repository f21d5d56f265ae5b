using System.Net;
using System.Text.Json.Nodes;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime;
using HelaMem.Runtime.Storage;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

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
        Assert.DoesNotContain(ActiveGraphs(silo, tenant), g => strangers.Contains(g));

        await client.DeleteUserAsync("alice");
        await Host(silo).Silo.DeactivateGrainAsync(new GrainId("user-graph", $"{tenant}/alice"));
        await AssertUnknownAsync(client, "alice");
        Assert.Empty(ActiveGraphs(silo, tenant));
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
        Assert.Contains("bob", ActiveGraphs(second, tenant));

        // Deleting the tenant's last user makes the list complete: from then on nobody unknown activates a graph.
        await again.DeleteUserAsync("alice");
        Assert.Equal(0, (await ops.GetTenantStatsAsync(tenant)).Users);
        var before = (await ops.GetClusterStatsAsync()).Activations;
        await AssertUnknownAsync(again, "carol");
        Assert.DoesNotContain("carol", ActiveGraphs(second, tenant));
        Assert.True((await ops.GetClusterStatsAsync()).Activations <= before);
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

    private static SiloHost Host(SiloFactory silo) => silo.Services.GetRequiredService<SiloHost>();

    /// <summary>The users of <paramref name="tenant"/> whose user-graph grain is active.</summary>
    private static List<string> ActiveGraphs(SiloFactory silo, string tenant) =>
        [.. Host(silo).Silo.ActiveGrains
            .Where(g => g.Type == "user-graph" && g.Key.StartsWith(tenant + "/", StringComparison.Ordinal))
            .Select(g => g.Key[(tenant.Length + 1)..])];

    /// <summary>Rewrites the tenant grain's stored state as the version before the user list wrote it.</summary>
    private static async Task RewriteAsLegacyAsync(string dataDirectory, string tenant)
    {
        await using var storage = new SqliteGrainStorage(new SqliteStorageOptions { DataDirectory = dataDirectory }, NullLogger<SqliteGrainStorage>.Instance);
        var key = new GrainStateKey("tenant", tenant, "tenant");
        var stored = await storage.ReadAsync(key) ?? throw new InvalidOperationException("the tenant state was not stored");
        var state = JsonNode.Parse(stored.Payload.Span)!.AsObject();
        Assert.True(state.Remove("UserIds"), "the current state has a user list");
        Assert.True(state.Remove("UserListComplete"));
        Assert.Equal(1, state["Users"]!.GetValue<long>());
        await storage.WriteAsync(key, System.Text.Encoding.UTF8.GetBytes(state.ToJsonString()), stored.ETag);
    }
}
