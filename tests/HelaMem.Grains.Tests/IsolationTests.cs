using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;
using HelaMem.Runtime;

namespace HelaMem.Grains.Tests;

/// <summary>Two users, and two tenants, never see each other's memories; bad input gets a clear error and changes nothing.</summary>
public sealed class IsolationTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_users_and_two_tenants_never_see_each_others_nodes()
    {
        await using var cluster = await MemoryCluster.StartAsync(silos: 2);
        var alice = new GrainRetrievalSession(cluster.Grains, "acme", "alice");
        var bob = new GrainRetrievalSession(cluster.Grains, "acme", "bob");
        var otherAlice = new GrainRetrievalSession(cluster.Grains, "globex", "alice");
        await alice.IngestAsync([Message("alice: my secret project is a violet submarine"), Message("alice: I keep bees on the roof")]);
        await bob.IngestAsync([Message("bob: my secret project is a violet submarine too"), Message("bob: I collect stamps")]);
        await otherAlice.IngestAsync([Message("globex alice: the violet submarine launches tomorrow")]);

        var forAlice = await alice.RetrieveAsync("violet submarine secret project", Now);
        var forBob = await bob.RetrieveAsync("violet submarine secret project", Now);
        var forOtherAlice = await otherAlice.RetrieveAsync("violet submarine secret project", Now);

        Assert.All(forAlice.Items, item => Assert.StartsWith("alice:", item.Content, StringComparison.Ordinal));
        Assert.All(forBob.Items, item => Assert.StartsWith("bob:", item.Content, StringComparison.Ordinal));
        Assert.All(forOtherAlice.Items, item => Assert.StartsWith("globex alice:", item.Content, StringComparison.Ordinal));
        Assert.Equal(2, forAlice.Items.Count);
        Assert.Equal(2, forBob.Items.Count);
        Assert.Single(forOtherAlice.Items);
        Assert.DoesNotContain("bob", forAlice.Context, StringComparison.Ordinal);

        // Node 0 of each graph is that graph's own first memory.
        var aliceNode = await cluster.Grains.GetGrain<IMemoryNodeGrain>("acme/alice/0").Read(0);
        var bobNode = await cluster.Grains.GetGrain<IMemoryNodeGrain>("acme/bob/0").Read(0);
        Assert.StartsWith("alice:", aliceNode!.Content, StringComparison.Ordinal);
        Assert.StartsWith("bob:", bobNode!.Content, StringComparison.Ordinal);

        var usage = await cluster.Grains.GetGrain<ITenantGrain>("acme").Usage();
        Assert.Equal(2, usage.Users);
        Assert.Equal(4, usage.MessagesIngested);
    }

    [Fact]
    public async Task A_call_acting_for_one_tenant_cannot_reach_another_tenants_memory()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        await new GrainRetrievalSession(cluster.Grains, "globex", "zoe").IngestAsync([Message("zoe: the launch code is 1234")]);
        await new GrainRetrievalSession(cluster.Grains, "acme", "zoe").IngestAsync([Message("zoe: my cat is called Miso")]);

        RequestContext.Tenant = "acme";
        try
        {
            var own = await cluster.Grains.GetGrain<IUserGraphGrain>("acme/zoe").Retrieve(new RetrieveRequest("cat", Now));
            Assert.Single(own.Items);
            var denied = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => cluster.Grains.GetGrain<IUserGraphGrain>("globex/zoe").Retrieve(new RetrieveRequest("launch code", Now)));
            Assert.Contains("another tenant", denied.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => cluster.Grains.GetGrain<IMemoryNodeGrain>("globex/zoe/0").Read(0));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => cluster.Grains.GetGrain<ITenantGrain>("globex").Usage());

            // A tenant id that merely starts with the caller's is another tenant.
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => cluster.Grains.GetGrain<IUserGraphGrain>("acme2/zoe").Stats());
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task All_grains_of_one_user_graph_live_on_one_silo()
    {
        await using var cluster = await MemoryCluster.StartAsync(silos: 3);
        foreach (var user in new[] { "u1", "u2", "u3", "u4" })
        {
            var session = new GrainRetrievalSession(cluster.Grains, "acme", user);
            await session.IngestAsync(FixtureConversation.Messages());
            await session.RetrieveAsync("camping at the beach", Now);
            var graphSilo = cluster.Cluster.FindHostingSilo(session.Graph.GetGrainId());
            Assert.NotNull(graphSilo);
            foreach (var grainId in cluster.Cluster.Silos.SelectMany(s => s.Silo.ActiveGrains).Where(g => g.Key.StartsWith($"acme/{user}", StringComparison.Ordinal)))
            {
                Assert.Same(graphSilo, cluster.Cluster.FindHostingSilo(grainId));
            }
        }
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_and_changes_nothing()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "carol");
        await session.IngestAsync([Message("carol: first memory")]);

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([Message("carol: fine"), Message("   ")]));
        Assert.Contains("empty content", empty.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([]));
        await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([Message(new string('x', 20_000))]));
        await Assert.ThrowsAsync<ArgumentException>(() => session.RetrieveAsync(" ", Now));
        await Assert.ThrowsAsync<ArgumentException>(() => session.ReportUsageAsync(99, [0]));

        var stats = await session.Graph.Stats();
        Assert.Equal(1, stats.Nodes);
        Assert.Equal(0, stats.Retrievals);
        Assert.Equal(1, (await cluster.Grains.GetGrain<ITenantGrain>("acme").Usage()).MessagesIngested);

        Assert.Throws<ArgumentException>(() => new GrainRetrievalSession(cluster.Grains, "acme", "mallory/../bob"));
        await Assert.ThrowsAnyAsync<Exception>(() => cluster.Grains.GetGrain<IUserGraphGrain>("acme/bob/extra").Stats());
    }

    private static IngestMessage Message(string content) => new(content, content.Split(':')[0], Now.AddDays(-1), "chat");
}
