using HelaMem.Abstractions.Contracts;
using HelaMem.Grains.Tests.Fixtures;
using HelaMem.Testing;
using Orleans.Runtime;

namespace HelaMem.Grains.Tests;

/// <summary>The test kit's storage choices keep the memory grains' state readable across deactivation.</summary>
public sealed class TestKitStorageTests
{
    [Fact]
    public async Task With_Orleans_memory_storage_a_deactivated_user_reactivates_with_its_state()
    {
        await using var cluster = await new HelaMemTestClusterBuilder()
            .UseOrleansMemoryStorage()
            .WithoutLogFiles()
            .WithResponseTimeout(TimeSpan.FromSeconds(10))
            .DeployAsync();
        var session = cluster.Session("acme", "erin");
        var messages = FixtureConversation.Messages();
        await session.IngestAsync(messages);
        var before = await session.RetrieveAsync(FixtureConversation.Questions[2], FixtureConversation.End);

        // Every idle activation goes (Orleans' in-memory storage grains are kept alive); the graph and its nodes
        // then read their state back on the next call. Collection can take seconds on a loaded machine: up to 20 s.
        await cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        for (var attempt = 0; attempt < 400 && (await cluster.FindActivationsAsync("user-graph", "memory-node")).Count > 0; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.Empty(await cluster.FindActivationsAsync("user-graph", "memory-node"));
        Assert.Equal(messages.Count, (await session.Graph.Stats()).Nodes);
        var after = await session.RetrieveAsync(FixtureConversation.Questions[2], FixtureConversation.End);
        Assert.Equal(
            before.Items.Where(i => i.Pathway == RetrievalPathway.Base).Select(i => i.NodeId).Order(),
            after.Items.Where(i => i.Pathway == RetrievalPathway.Base).Select(i => i.NodeId).Order());
    }
}
