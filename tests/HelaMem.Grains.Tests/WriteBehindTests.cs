using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.State;
using HelaMem.Grains.Tests.Fixtures;
using HelaMem.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Grains.Tests;

/// <summary>
/// Write-behind of Hebbian learning: the flush timers interleave with requests, so a retrieval never waits for a
/// flush that waits for the disk, and writes of one grain never overlap; a failed ingest leaves nothing half-written.
/// </summary>
public sealed class WriteBehindTests
{
    // Long enough for a hang to be unmistakable, far longer than any call takes on a loaded machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Retrievals_and_ingests_go_on_while_every_flush_is_stuck_waiting_for_storage()
    {
        var storage = new ControlledGrainStorage();
        await using var cluster = await StartAsync(storage, TimeSpan.FromMilliseconds(50));
        var session = cluster.Session("acme", "wb");
        await session.IngestAsync(FixtureConversation.Messages());
        var first = await session.RetrieveAsync(FixtureConversation.Questions[0], FixtureConversation.End);

        // From now on every write of this user's grains waits; the retrieval above left its nodes and graph dirty,
        // so their flushes start within 50 ms and wait.
        storage.HoldWritesOf(id => id.Key.ToString()!.StartsWith("acme/wb", StringComparison.Ordinal));
        await WithinPatience(storage.WriteHeld, "no flush started");

        // Retrievals pull from nodes whose flush is waiting, and report usage on a graph whose flush is waiting.
        for (var i = 1; i < 6; i++)
        {
            var response = await WithinPatience(session.RetrieveAsync(FixtureConversation.Questions[i], FixtureConversation.End), "a retrieval waited for a flush");
            Assert.NotEmpty(response.Items);
        }

        await WithinPatience(session.ReportUsageAsync(first.RetrievalId, [first.Items[0].NodeId, first.Items[1].NodeId]), "a usage report waited for a flush");

        // An ingest writes too: it waits for the held flushes (writes of one grain never overlap), then goes on.
        var ingest = session.Graph.Ingest([new IngestMessage("wb: one more thing", "wb", FixtureConversation.End, "conv")]);
        storage.ReleaseWrites();
        var receipt = await WithinPatience(ingest, "the ingest never completed after the writes were released");
        Assert.Single(receipt.NodeIds);

        // Everything reached storage once the writes were released: the graph's step and the learned weights.
        var graph = cluster.GrainFactory.GetGrain<IUserGraphGrain>("acme/wb");
        await cluster.Kit.Cluster.DeactivateAsync(graph);
        var stored = storage.Stored<GraphState>(graph.GetGrainId(), "graph");
        Assert.NotNull(stored);
        Assert.Equal(6, stored.Step);
        Assert.Equal(FixtureConversation.Messages().Count + 1, stored.NodeCount);
        Assert.Equal(6, (await graph.Stats()).Step);
    }

    [Fact]
    public async Task A_failed_ingest_writes_none_of_the_graphs_state_and_the_graph_starts_over_from_storage()
    {
        var storage = new ControlledGrainStorage();
        await using var cluster = await StartAsync(storage, TimeSpan.FromMilliseconds(50));
        var session = cluster.Session("acme", "fail");
        var messages = FixtureConversation.Messages();
        await session.IngestAsync(messages.Take(10));
        await session.RetrieveAsync(FixtureConversation.Questions[0], FixtureConversation.End);
        var graph = cluster.GrainFactory.GetGrain<IUserGraphGrain>("acme/fail");

        // The next ingest's node 12 cannot be written: the ingest fails and is not acknowledged.
        storage.FailWritesOf(id => id.Key.ToString() == "acme/fail/12");
        await Assert.ThrowsAnyAsync<Exception>(() => session.Graph.Ingest([.. messages.Skip(10).Take(5)]));
        storage.FailWritesOf(_ => false);

        // The graph's stored state never counted the failed batch, also not through its flush or its deactivation.
        await cluster.Kit.Cluster.DeactivateAsync(graph);
        Assert.Equal(10, storage.Stored<GraphState>(graph.GetGrainId(), "graph")!.NodeCount);

        // The batch can be sent again: the nodes written by the failed attempt are orphans and are overwritten.
        var receipt = await session.Graph.Ingest([.. messages.Skip(10).Take(5)]);
        Assert.Equal([10L, 11, 12, 13, 14], receipt.NodeIds);
        Assert.Equal(15, (await graph.Stats()).Nodes);
    }

    private static async Task<MemoryCluster> StartAsync(ControlledGrainStorage storage, TimeSpan flush)
    {
        var cluster = await MemoryCluster.StartAsync(
            configure: o => o.WeightFlushInterval = flush,
            configureSilo: silo => silo.Services.AddKeyedSingleton<IGrainStorage>(HelaMemGrains.StorageName, storage));
        return cluster;
    }

    private static async Task WithinPatience(Task task, string failure)
    {
        Assert.True(await Task.WhenAny(task, Task.Delay(Patience)) == task, failure);
        await task;
    }

    private static async Task<T> WithinPatience<T>(Task<T> task, string failure)
    {
        await WithinPatience((Task)task, failure);
        return await task;
    }
}
