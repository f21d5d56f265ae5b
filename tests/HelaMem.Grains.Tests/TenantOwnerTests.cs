using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>
/// Agents and runs beside users in the grains: each owner its own graph, counted and listed by the tenant, which pages
/// through them by (scope, id), refuses ingests once its delete has begun, and starts empty after it is cleared.
/// </summary>
public sealed class TenantOwnerTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_user_an_agent_and_a_run_with_one_id_are_three_graphs_and_three_owners()
    {
        await using var cluster = await MemoryCluster.StartAsync(configure: o => o.ScheduleConsolidation = false);
        var user = new GrainRetrievalSession(cluster.Grains, "acme", MemoryOwner.User("bob"));
        var agent = new GrainRetrievalSession(cluster.Grains, "acme", MemoryOwner.Agent("bob"));
        var run = new GrainRetrievalSession(cluster.Grains, "acme", MemoryOwner.Run("bob"));
        await user.IngestAsync([Message("bob: I keep bees on the roof")]);
        await agent.IngestAsync([Message("bot: the user prefers short answers"), Message("bot: never book red-eye flights")]);
        await run.IngestAsync([Message("run: step one searched flights"), Message("run: step two found three"), Message("run: step three booked one")]);

        Assert.Equal((1, 2, 3), ((await user.Graph.Stats()).Nodes, (await agent.Graph.Stats()).Nodes, (await run.Graph.Stats()).Nodes));
        var found = await agent.RetrieveAsync("bees on the roof", Now);
        Assert.DoesNotContain(found.Items, i => i.Content.Contains("bees", StringComparison.Ordinal));

        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        Assert.Equal(3, (await tenant.Usage()).Users);
        Assert.True(await tenant.HasUser("agent~bob"));
        Assert.False(await tenant.HasUser("run~alice"));
        Assert.Equal(["bob", "agent~bob", "run~bob"], (await tenant.ListOwners(null, 10)).Owners);

        // Deleting the agent leaves the user and the run.
        await agent.DeleteAsync();
        Assert.Equal(0, (await agent.Graph.Stats()).Nodes);
        Assert.Equal((1, 3), ((await user.Graph.Stats()).Nodes, (await run.Graph.Stats()).Nodes));
        Assert.Equal(["bob", "run~bob"], (await tenant.ListOwners(null, 10)).Owners);
    }

    [Fact]
    public async Task The_user_quota_counts_agents_and_runs()
    {
        await using var cluster = await MemoryCluster.StartAsync(configure: o => o.ScheduleConsolidation = false);
        await cluster.Grains.GetGrain<ITenantGrain>("acme").Configure(new TenantSettings(MaxUsers: 2));
        await new GrainRetrievalSession(cluster.Grains, "acme", MemoryOwner.User("x")).IngestAsync([Message("x: hello")]);
        await new GrainRetrievalSession(cluster.Grains, "acme", MemoryOwner.Agent("x")).IngestAsync([Message("x: hello")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => new GrainRetrievalSession(cluster.Grains, "acme", MemoryOwner.Run("x")).IngestAsync([Message("x: hello")]));
        Assert.Equal(2, (await cluster.Grains.GetGrain<ITenantGrain>("acme").Usage()).Users);
    }

    [Fact]
    public async Task Owners_are_paged_by_scope_then_id_each_exactly_once()
    {
        await using var cluster = await MemoryCluster.StartAsync(configure: o => o.ScheduleConsolidation = false);
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        List<MemoryOwner> owners = [];
        for (var i = 0; i < 9; i++)
        {
            owners.Add(MemoryOwner.Run($"r{i}"));
            owners.Add(MemoryOwner.User($"u{8 - i}"));
            owners.Add(MemoryOwner.Agent($"a{i}"));
        }

        foreach (var owner in owners)
        {
            await tenant.AdmitIngest(owner.Segment, 1, newUser: true);
        }

        var seen = new List<string>();
        string? after = null;
        OwnerListPage page;
        do
        {
            page = await tenant.ListOwners(after, 4);
            Assert.True(page.Owners.Count is > 0 and <= 4);
            seen.AddRange(page.Owners);
            after = page.Owners[^1];
        }
        while (page.More);

        string[] expected =
        [
            .. Enumerable.Range(0, 9).Select(i => $"u{i}"),
            .. Enumerable.Range(0, 9).Select(i => $"agent~a{i}"),
            .. Enumerable.Range(0, 9).Select(i => $"run~r{i}"),
        ];
        Assert.Equal(expected, seen);
        Assert.True(page.Complete);

        // A cursor need not be listed any more: the page starts after where it would be.
        Assert.Equal(["agent~a0", "agent~a1"], (await tenant.ListOwners("u9", 2)).Owners);
        Assert.Empty((await tenant.ListOwners("run~r8", 5)).Owners);
        await Assert.ThrowsAsync<ArgumentException>(() => tenant.ListOwners("bot~x", 5));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tenant.ListOwners(null, 0));
    }

    [Fact]
    public async Task A_tenant_being_deleted_refuses_ingests_and_starts_empty_once_cleared()
    {
        await using var cluster = await MemoryCluster.StartAsync(configure: o => o.ScheduleConsolidation = false);
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        await tenant.Configure(new TenantSettings(MaxUsers: 5, TopK: 4));
        var alice = new GrainRetrievalSession(cluster.Grains, "acme", "alice");
        await alice.IngestAsync([Message("alice: hello")]);

        await tenant.BeginDelete();
        await tenant.BeginDelete();
        await Assert.ThrowsAsync<TenantDeletingException>(() => alice.IngestAsync([Message("alice: more")]));
        await Assert.ThrowsAsync<TenantDeletingException>(() => new GrainRetrievalSession(cluster.Grains, "acme", MemoryOwner.Agent("bot")).IngestAsync([Message("bot: hi")]));
        Assert.Equal(["alice"], (await tenant.ListOwners(null, 10)).Owners);
        Assert.Equal(1, (await alice.Graph.Stats()).Nodes);

        await alice.DeleteAsync();
        await tenant.Clear();
        Assert.Equal(new TenantUsage(0, 0, 0, 0), await tenant.Usage());
        Assert.Equal(new TenantSettings(), await tenant.Settings());
        Assert.Empty((await tenant.ListOwners(null, 10)).Owners);
        Assert.False(await tenant.HasUser("alice"));

        // Not being deleted any more: a tenant of that name takes ingests again.
        await new GrainRetrievalSession(cluster.Grains, "acme", "carol").IngestAsync([Message("carol: hi")]);
        Assert.Equal(["carol"], (await tenant.ListOwners(null, 10)).Owners);
    }

    private static IngestMessage Message(string text) => new(text, text.Split(':')[0], Now);
}
