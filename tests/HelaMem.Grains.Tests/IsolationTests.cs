using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;
using HelaMem.Abstractions.Tenancy;

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

        // As the silo's API does after authentication: the tenant rides in Orleans' request context with every call.
        TenantContext.Set("acme");
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
            TenantContext.Clear();
        }
    }

    [Fact]
    public async Task All_grains_of_one_user_graph_live_on_one_silo_and_users_spread_over_the_silos()
    {
        await using var cluster = await MemoryCluster.StartAsync(silos: 3);
        var users = Enumerable.Range(1, 24).Select(i => $"u{i}").ToList();
        var sessions = users.Select(user => new GrainRetrievalSession(cluster.Grains, "acme", user)).ToList();

        // Each user's grains are first activated from the client, not from a grain on the silo they belong to.
        await Task.WhenAll(sessions.Select(async session =>
        {
            await session.IngestAsync(FixtureConversation.Messages(), batchSize: 8);
            await session.RetrieveAsync("camping at the beach", Now);
        }));

        var activations = await cluster.Kit.FindActivationsAsync("user-graph", "memory-node", "consolidation", "semantic-memory");
        var siloOfUser = new Dictionary<string, Orleans.Runtime.SiloAddress>(StringComparer.Ordinal);
        foreach (var (grain, silo) in activations)
        {
            var user = grain.Key.ToString()!.Split('/')[1];
            if (siloOfUser.TryGetValue(user, out var first))
            {
                Assert.True(first.Equals(silo), $"{grain} is on {silo}, but another grain of user {user} is on {first}.");
            }
            else
            {
                siloOfUser[user] = silo;
            }
        }

        Assert.Equal(users.Order(StringComparer.Ordinal), siloOfUser.Keys.Order(StringComparer.Ordinal));
        var perSilo = siloOfUser.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, perSilo.Count);
        Assert.All(perSilo.Values, count => Assert.InRange(count, 3, 15));

        // Every silo computes the same owner: the placement director's choice for each user is where its grains are.
        var silos = cluster.Kit.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
        foreach (var (user, silo) in siloOfUser)
        {
            Assert.Equal(silo, Placement.UserGraphPlacementDirector.Choose(System.Text.Encoding.UTF8.GetBytes($"acme/{user}"), silos));
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
