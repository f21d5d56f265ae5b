using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>
/// An ingest killed after its node writes and before the graph's commit leaves the last committed node durably linked
/// to an id the graph never took. After the restart the graph must search as before (that edge used to make spreading
/// index past its scores: a 500), and the next ingest takes the id.
/// </summary>
public sealed class UncommittedIngestTests
{
    [Fact]
    public async Task A_search_after_an_ingest_cut_off_before_the_graphs_commit_ignores_the_edge_it_left_behind()
    {
        using var data = new TempDirectory();
        await using var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "cut");
        var messages = FixtureConversation.Messages();
        var ids = await session.IngestAsync(messages);
        var before = await session.RetrieveAsync(FixtureConversation.Questions[2], FixtureConversation.End);

        // What the cut-off ingest wrote before the kill: the temporal edge from the last node to its next id.
        var last = ids[^1];
        await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/cut/{last}").AddEdges([new StructuralEdge(last + 1, 0.5f)]);
        await cluster.KillAndRestartAsync();

        var after = await session.RetrieveAsync(FixtureConversation.Questions[2], FixtureConversation.End);
        Assert.Equal(
            before.Items.Where(i => i.Pathway == RetrievalPathway.Base).Select(i => i.NodeId).Order(),
            after.Items.Where(i => i.Pathway == RetrievalPathway.Base).Select(i => i.NodeId).Order());

        // A query whose best match is the last node spreads from it, through the dangling edge.
        var fromLast = await session.RetrieveAsync(messages[^1].Content, FixtureConversation.End);
        Assert.Contains(fromLast.Items, i => i.NodeId == last);

        var next = await session.IngestAsync([new IngestMessage("Caroline: One more thing about the pottery class.", "Caroline", FixtureConversation.End, messages[^1].Thread)]);
        Assert.Equal([last + 1], next);
        Assert.Equal(messages.Count + 1, (await session.Graph.Stats()).Nodes);
        Assert.NotEmpty((await session.RetrieveAsync("pottery class", FixtureConversation.End)).Items);
    }
}
