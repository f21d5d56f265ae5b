using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace HelaMem.Grains.Tests;

/// <summary>
/// Idempotent ingest at the grain: the key is committed with the ingest (the graph state write), so a client whose
/// answer was lost because the silo died after the store acknowledged the write gets the first receipt on retry, and
/// nothing is stored twice.
/// </summary>
public sealed class IdempotentIngestTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_kill_between_the_durable_store_and_the_response_then_a_retry_stores_the_batch_once()
    {
        var storage = new ControlledGrainStorage();
        await using var cluster = await MemoryCluster.StartAsync(
            configureSilo: silo => silo.Services.AddKeyedSingleton<IGrainStorage>(HelaMemGrains.StorageName, storage));
        var messages = FixtureConversation.Messages();
        var graph = cluster.Grains.GetGrain<IUserGraphGrain>("acme/idem");
        await graph.Ingest([.. messages.Take(5)]);

        var batch = messages.Skip(5).Take(3).ToList();
        var options = new IngestOptions(IdempotencyKey: "upload-7", RequestHash: "hash-of-upload-7");
        storage.HoldAfterWritesOf(id => id == graph.GetGrainId());
        var lost = graph.Ingest(batch, options);
        Assert.True(await Task.WhenAny(storage.WriteHeld, Task.Delay(Patience)) == storage.WriteHeld, "the graph never committed the ingest");

        // The store has the batch and its key; the silo dies before the answer leaves it.
        await cluster.KillAndRestartAsync();
        storage.StopHolding();
        await Assert.ThrowsAnyAsync<Exception>(() => lost.WaitAsync(Patience));

        var retried = await graph.Ingest(batch, options);
        Assert.True(retried.Replayed);
        Assert.Equal([5L, 6, 7], retried.NodeIds);
        Assert.Equal(8, (await graph.Stats()).Nodes);
        var page = await graph.ListMemories(new MemoryListQuery(0, 100));
        Assert.Equal(8, page.Total);

        // The same key with another request is refused as a conflict (through Orleans' exception serialization) and stores nothing.
        var conflict = await Assert.ThrowsAsync<IdempotencyConflictException>(() => graph.Ingest(batch, options with { RequestHash = "another" }));
        Assert.Contains("upload-7", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(8, (await graph.Stats()).Nodes);
        storage.ReleaseWrites();
    }

    [Fact]
    public async Task Without_a_key_the_same_lost_answer_and_retry_store_the_batch_twice()
    {
        // The control: what the key prevents. Same kill, same retry, no key.
        var storage = new ControlledGrainStorage();
        await using var cluster = await MemoryCluster.StartAsync(
            configureSilo: silo => silo.Services.AddKeyedSingleton<IGrainStorage>(HelaMemGrains.StorageName, storage));
        var messages = FixtureConversation.Messages();
        var graph = cluster.Grains.GetGrain<IUserGraphGrain>("acme/nokey");
        await graph.Ingest([.. messages.Take(5)]);
        var batch = messages.Skip(5).Take(3).ToList();
        storage.HoldAfterWritesOf(id => id == graph.GetGrainId());
        var lost = graph.Ingest(batch);
        Assert.True(await Task.WhenAny(storage.WriteHeld, Task.Delay(Patience)) == storage.WriteHeld, "the graph never committed the ingest");
        await cluster.KillAndRestartAsync();
        storage.StopHolding();
        await Assert.ThrowsAnyAsync<Exception>(() => lost.WaitAsync(Patience));

        var retried = await graph.Ingest(batch);
        Assert.Equal([8L, 9, 10], retried.NodeIds);
        Assert.Equal(11, (await graph.Stats()).Nodes);
        storage.ReleaseWrites();
    }

    [Fact]
    public async Task Keys_are_checked_before_anything_is_stored()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var graph = cluster.Grains.GetGrain<IUserGraphGrain>("acme/badkey");
        var messages = FixtureConversation.Messages().Take(2).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => graph.Ingest(messages, new IngestOptions(IdempotencyKey: "with space", RequestHash: "h")));
        await Assert.ThrowsAsync<ArgumentException>(() => graph.Ingest(messages, new IngestOptions(IdempotencyKey: "k")));
        Assert.Equal(0, (await graph.Stats()).Nodes);
    }
}
