using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>Per-message metadata travels with the ingest into the node's durable state and back with reads and retrievals.</summary>
public sealed class MetadataTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Metadata_is_stored_with_the_node_returned_by_retrieval_and_read_and_survives_a_silo_kill()
    {
        using var data = new TempDirectory();
        await using var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "dana");
        var tagged = new Dictionary<string, string> { ["dia_id"] = "D1:3", ["session"] = "1" };
        var ids = await session.IngestAsync(
        [
            new IngestMessage("dana: my violin teacher lives in Vienna", "dana", Now.AddDays(-2), "chat", tagged),
            new IngestMessage("dana: I bake sourdough on Sundays", "dana", Now.AddDays(-1), "chat"),
        ]);

        // The graph keeps its own copy: a caller changing its dictionary afterwards changes nothing stored.
        tagged["dia_id"] = "changed";

        await AssertMetadataAsync(cluster, session, ids);
        Assert.Contains("\"dia_id\":\"D1:3\"", StoredStates.Payload(data.Path, $"acme/dana/{ids[0]}"), StringComparison.Ordinal);

        // kill -9: no deactivation, no flush. The metadata was written with the node before the receipt.
        await cluster.KillAndRestartAsync();
        await AssertMetadataAsync(cluster, session, ids);
    }

    [Fact]
    public async Task A_node_stored_before_metadata_existed_still_loads_without_metadata()
    {
        using var data = new TempDirectory();
        IReadOnlyList<long> ids;
        await using (var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path))
        {
            ids = await new GrainRetrievalSession(cluster.Grains, "acme", "olga").IngestAsync(
            [
                new IngestMessage("olga: the old note about the harbour lighthouse", "olga", Now.AddDays(-3), "chat"),
                new IngestMessage("olga: the lighthouse keeper waved", "olga", Now.AddDays(-2), "chat", new Dictionary<string, string> { ["dia_id"] = "D2:1" }),
            ]);
        }

        // Put node 0's state back in the shape the previous version wrote: no Metadata property at all.
        StoredStates.RemoveProperty(data.Path, $"acme/olga/{ids[0]}", "Metadata");
        Assert.DoesNotContain("Metadata", StoredStates.Payload(data.Path, $"acme/olga/{ids[0]}"), StringComparison.Ordinal);

        await using var restarted = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var session = new GrainRetrievalSession(restarted.Grains, "acme", "olga");
        var old = await restarted.Grains.GetGrain<IMemoryNodeGrain>($"acme/olga/{ids[0]}").Read(0);
        Assert.Equal("olga: the old note about the harbour lighthouse", old!.Content);
        Assert.Null(old.Metadata);

        var retrieval = await session.RetrieveAsync("harbour lighthouse", Now);
        Assert.Null(retrieval.Items.Single(i => i.NodeId == ids[0]).Metadata);
        Assert.Equal("D2:1", retrieval.Items.Single(i => i.NodeId == ids[1]).Metadata!["dia_id"]);
    }

    [Fact]
    public async Task Invalid_metadata_gets_a_clear_error_and_stores_nothing_of_the_batch()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "carl");
        await session.IngestAsync([Message("carl: first memory", null)]);

        var tooMany = Enumerable.Range(0, IngestLimits.MaxMetadataEntries + 1).ToDictionary(i => $"k{i}", i => "v");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([Message("carl: fine", null), Message("carl: too many", tooMany)]));
        Assert.Contains($"at most {IngestLimits.MaxMetadataEntries}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Message 1", error.Message, StringComparison.Ordinal);

        var longKey = await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([Message("carl: long key", new() { [new string('k', IngestLimits.MaxMetadataKeyLength + 1)] = "v" })]));
        Assert.Contains("metadata key", longKey.Message, StringComparison.Ordinal);
        var longValue = await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([Message("carl: long value", new() { ["dia_id"] = new string('v', IngestLimits.MaxMetadataValueLength + 1) })]));
        Assert.Contains("'dia_id'", longValue.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([Message("carl: blank key", new() { [" "] = "v" })]));
        await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Ingest([Message("carl: null value", new() { ["dia_id"] = null! })]));

        // The limits themselves are allowed.
        var atLimit = Enumerable.Range(0, IngestLimits.MaxMetadataEntries).ToDictionary(i => $"k{i}".PadRight(IngestLimits.MaxMetadataKeyLength, 'k'), i => new string('v', IngestLimits.MaxMetadataValueLength));
        await session.Graph.Ingest([Message("carl: at the limits", atLimit)]);

        var stats = await session.Graph.Stats();
        Assert.Equal(2, stats.Nodes);
        Assert.Equal(2, (await cluster.Grains.GetGrain<ITenantGrain>("acme").Usage()).MessagesIngested);
        Assert.Null(await cluster.Grains.GetGrain<IMemoryNodeGrain>("acme/carl/2").Read(0));
    }

    private static async Task AssertMetadataAsync(MemoryCluster cluster, GrainRetrievalSession session, IReadOnlyList<long> ids)
    {
        var retrieval = await session.RetrieveAsync("violin teacher in Vienna, sourdough", Now);
        var item = retrieval.Items.Single(i => i.NodeId == ids[0]);
        Assert.Equal(new Dictionary<string, string> { ["dia_id"] = "D1:3", ["session"] = "1" }, item.Metadata);
        Assert.Null(retrieval.Items.Single(i => i.NodeId == ids[1]).Metadata);

        var node = await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/dana/{ids[0]}").Read(retrieval.RetrievalId);
        Assert.Equal("D1:3", node!.Metadata!["dia_id"]);
        Assert.Null((await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/dana/{ids[1]}").Read(retrieval.RetrievalId))!.Metadata);
    }

    private static IngestMessage Message(string content, Dictionary<string, string>? metadata) => new(content, "carl", Now.AddDays(-1), "chat", metadata);
}
