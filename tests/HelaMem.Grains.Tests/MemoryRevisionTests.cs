using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>Updates, deletes and filters of single memories at the grain, across a silo restart.</summary>
public sealed class MemoryRevisionTests
{
    [Fact]
    public async Task An_update_and_a_delete_survive_a_restart_and_retrieval_follows_them()
    {
        using var data = new TempDirectory();
        var at = new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);
        await using (var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path))
        {
            var graph = cluster.Grains.GetGrain<IUserGraphGrain>("acme/rev");
            await graph.Ingest(
            [
                new IngestMessage("Ana: my favourite food is ramen", "Ana", at, "c", Role: "user", Conversation: "c"),
                new IngestMessage("Ana: I go hiking in the Alps", "Ana", at.AddMinutes(1), "c", Role: "user", Conversation: "c"),
                new IngestMessage("Bot: noted, ramen and the Alps", "Bot", at.AddMinutes(2), "c", Role: "assistant", Conversation: "c"),
            ]);

            var revision = await graph.Update(0, new MemoryUpdate("Ana: my favourite food is now paella", null, at.AddDays(1)));
            Assert.Equal(new MemoryRevisionResult(2, true), revision);
            Assert.True(await graph.DeleteMemory(1));
            Assert.False(await graph.DeleteMemory(1));
            await Assert.ThrowsAsync<KeyNotFoundException>(() => graph.Update(1, new MemoryUpdate("x", null, at)));
            await Assert.ThrowsAsync<ArgumentException>(() => graph.Update(0, new MemoryUpdate(null, null, at)));
        }

        await using var restarted = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var again = restarted.Grains.GetGrain<IUserGraphGrain>("acme/rev");
        var found = await again.Retrieve(new RetrieveRequest("paella", at.AddDays(2), MaxItems: 1));
        var top = Assert.Single(found.Items);
        Assert.Equal((0L, "Ana: my favourite food is now paella", "user", "c"), (top.NodeId, top.Content, top.Role, top.Conversation));
        Assert.DoesNotContain((await again.Retrieve(new RetrieveRequest("hiking Alps", at.AddDays(2)))).Items, i => i.NodeId == 1);

        var page = await again.ListMemories(new MemoryListQuery(0, 10));
        Assert.Equal([0L, 2], page.NodeIds);
        var assistant = await again.ListMemories(new MemoryListQuery(0, 10, new MemoryFilter(Roles: ["assistant"])));
        Assert.Equal([2L], assistant.NodeIds);

        var history = await restarted.Grains.GetGrain<IMemoryNodeGrain>("acme/rev/0").History();
        Assert.Equal(["Ana: my favourite food is ramen", "Ana: my favourite food is now paella"], history.Select(v => v.Content));
        Assert.Equal([MemoryVersionEvent.Created, MemoryVersionEvent.Updated], history.Select(v => v.Event));
    }

    [Fact]
    public async Task A_filter_is_checked_before_the_retrieval_learns_anything()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var graph = cluster.Grains.GetGrain<IUserGraphGrain>("acme/badfilter");
        await graph.Ingest([.. FixtureConversation.Messages().Take(3)]);
        var bad = new MemoryFilter(From: FixtureConversation.End, Until: FixtureConversation.End.AddDays(-1));
        await Assert.ThrowsAsync<ArgumentException>(() => graph.Retrieve(new RetrieveRequest("anything", FixtureConversation.End, Filter: bad)));
        await Assert.ThrowsAsync<ArgumentException>(() => graph.ListMemories(new MemoryListQuery(0, 10, bad)));
        Assert.Equal(0, (await graph.Stats()).Step);
    }
}
