using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>The tenant grain's user list: filled by admitted ingests, emptied by deletes, answered without a graph.</summary>
public sealed class TenantUserRegistryTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Users_are_listed_on_ingest_and_unlisted_when_their_graph_is_deleted()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        Assert.False(await tenant.HasUser("alice"));

        var alice = new GrainRetrievalSession(cluster.Grains, "acme", "alice");
        var bob = new GrainRetrievalSession(cluster.Grains, "acme", "bob");
        await alice.IngestAsync([Message("alice: I keep bees on the roof")]);
        await bob.IngestAsync([Message("bob: I collect stamps")]);
        await alice.IngestAsync([Message("alice: the bees made honey")]);
        Assert.True(await tenant.HasUser("alice"));
        Assert.True(await tenant.HasUser("bob"));
        Assert.False(await tenant.HasUser("carol"));
        Assert.Equal(2, (await tenant.Usage()).Users);

        // Another tenant's users are not this tenant's.
        Assert.False(await cluster.Grains.GetGrain<ITenantGrain>("globex").HasUser("alice"));

        await alice.DeleteAsync();
        Assert.False(await tenant.HasUser("alice"));
        Assert.True(await tenant.HasUser("bob"));
        Assert.Equal(new TenantUsage(1, 3, 0, 1), await tenant.Usage() with { Retrievals = 0 });
    }

    [Fact]
    public async Task A_refused_ingest_lists_nobody_and_an_invalid_user_id_is_refused()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        await tenant.Configure(new TenantSettings(MaxUsers: 1));
        await new GrainRetrievalSession(cluster.Grains, "acme", "alice").IngestAsync([Message("alice: hello")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => new GrainRetrievalSession(cluster.Grains, "acme", "bob").IngestAsync([Message("bob: hello")]));
        Assert.False(await tenant.HasUser("bob"));
        Assert.Equal(1, (await tenant.Usage()).Users);

        await Assert.ThrowsAsync<ArgumentException>(() => tenant.HasUser("not/a user"));
        await Assert.ThrowsAsync<ArgumentException>(() => tenant.UserDeleted(""));
        Assert.True(await tenant.HasUser("alice"));
    }

    private static IngestMessage Message(string text) => new(text, text.Split(':')[0], Now);
}
