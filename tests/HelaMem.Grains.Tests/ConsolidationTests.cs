using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace HelaMem.Grains.Tests;

/// <summary>Hubs become semantic memory that retrieval returns; forgetting archives; delete leaves nothing in storage.</summary>
public sealed class ConsolidationTests
{
    // Strong learning and a hub threshold above a fresh node's temporal degree (≤ 1.0): retrieval makes hubs quickly.
    private static readonly HelaMemOptions HubFriendly = HelaMemOptions.Default with { LearningRate = 0.3f, HubThreshold = 1.5f };

    [Fact]
    public async Task A_hub_is_distilled_into_semantic_items_that_later_retrievals_return()
    {
        // Hubs only (the paper's trigger): the turn trigger would distill every turn on RunNow.
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly, configure: o => o.ConsolidateEveryTurns = 0);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "frank");
        await session.IngestAsync(FixtureConversation.Messages());
        var first = await session.RetrieveAsync("Melanie painting sunrise lake", FixtureConversation.End);
        Assert.Empty(first.Knowledge);

        var consolidation = cluster.Grains.GetGrain<IConsolidationGrain>("acme/frank");
        await WaitUntilAsync(async () => (await consolidation.Status()).PendingHubs.Count > 0);
        var report = await consolidation.RunNow(FixtureConversation.End, forget: false);

        Assert.True(report.HubsDistilled > 0);
        Assert.True(report.ItemsAdded > 0);
        var status = await consolidation.Status();
        Assert.Empty(status.PendingHubs);
        Assert.NotEmpty(status.DistilledHubs);
        Assert.True(status.ReminderActive);

        var items = await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/frank").Items();
        Assert.Contains(items, i => i.Kind == SemanticItemKind.Fact);
        Assert.All(items, i => Assert.NotEmpty(i.Sources));

        var next = await session.RetrieveAsync("Melanie painting sunrise lake", FixtureConversation.End);
        Assert.NotEmpty(next.Knowledge);
        Assert.Contains("## Knowledge", next.Context, StringComparison.Ordinal);
        Assert.True(next.ContextTokens > first.ContextTokens);

        // A second run finds nothing new to distill: a hub is distilled once.
        var again = await consolidation.RunNow(FixtureConversation.End, forget: false);
        Assert.Equal(0, again.ItemsAdded);

        // The tenant counts both runs and the items (one-way calls: wait for them), and takes the items off with the user.
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        await WaitUntilAsync(async () => (await tenant.Usage()).ConsolidationRuns == 2);
        Assert.Equal(report.ItemsAdded, (await tenant.Usage()).SemanticItems);
        await session.DeleteAsync();
        await WaitUntilAsync(async () => (await tenant.Usage()).SemanticItems == 0);
        Assert.Equal(2, (await tenant.Usage()).ConsolidationRuns);
    }

    [Fact]
    public async Task The_graph_hands_consolidation_the_hubs_its_last_retrieval_made_whether_or_not_their_reports_arrived()
    {
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "ivy");
        await session.IngestAsync(FixtureConversation.Messages());
        var retrieved = await session.RetrieveAsync("Melanie painting sunrise lake", FixtureConversation.End);

        // Straight after the retrieval (its Hebbian updates and the nodes' hub reports are one-way messages): the
        // snapshot waits for the reinforced nodes and names those that are hubs now.
        var snapshot = await session.Graph.Snapshot();
        var hubs = Assert.IsAssignableFrom<IReadOnlyList<long>>(snapshot.ReportedHubs);
        Assert.NotEmpty(hubs);
        Assert.All(hubs, hub => Assert.Contains(retrieved.Items, item => item.NodeId == hub));
        foreach (var hub in hubs)
        {
            var node = await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/ivy/{hub}").Read(snapshot.Step);
            Assert.True(node!.Degree > HubFriendly.HubThreshold);
        }

        // Each is handed over once: the next snapshot has nothing new.
        Assert.Empty((await session.Graph.Snapshot()).ReportedHubs!);
    }

    [Fact]
    public async Task Forgetting_archives_old_unused_nodes_which_leave_retrieval_but_keep_their_data()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "gina");
        await session.IngestAsync(FixtureConversation.Messages());
        var used = await session.RetrieveAsync("What book is Caroline reading?", FixtureConversation.End);
        var accessed = used.Items.Select(i => i.NodeId).ToHashSet();

        var later = FixtureConversation.End.AddDays(60);
        var report = await cluster.Grains.GetGrain<IConsolidationGrain>("acme/gina").RunNow(later, forget: true);

        var stats = await session.Graph.Stats();
        Assert.Equal(report.NodesArchived, stats.ArchivedNodes);
        Assert.Equal(stats.Nodes - accessed.Count, stats.ArchivedNodes);

        var after = await session.RetrieveAsync("Where did Melanie go camping with her kids?", later);
        Assert.All(after.Items, item => Assert.Contains(item.NodeId, accessed));

        var archivedId = Enumerable.Range(0, (int)stats.Nodes).First(i => !accessed.Contains(i));
        var archived = await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/gina/{archivedId}").Read(stats.Step);
        Assert.True(archived!.Archived);
        Assert.False(string.IsNullOrEmpty(archived.Content));
    }

    [Fact]
    public async Task Deleting_a_user_leaves_nothing_in_the_sqlite_state_and_reminder_tables()
    {
        using var data = new TempDirectory();
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly, sqliteDirectory: data.Path);
        var doomed = new GrainRetrievalSession(cluster.Grains, "acme", "henry");
        var kept = new GrainRetrievalSession(cluster.Grains, "acme", "henrietta");
        await doomed.IngestAsync(FixtureConversation.Messages());
        await kept.IngestAsync(FixtureConversation.Messages());
        foreach (var question in FixtureConversation.Questions)
        {
            await doomed.RetrieveAsync(question, FixtureConversation.End);
        }

        await doomed.ConsolidateAsync(FixtureConversation.End);
        Assert.NotEmpty(await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/henry").Items());
        foreach (var i in Enumerable.Range(0, FixtureConversation.Messages().Count))
        {
            await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/henry/{i}").Flush();
        }

        Assert.True(CountRows(data.Path, "grain_state", "acme/henry") > FixtureConversation.Messages().Count);
        Assert.Equal(1, CountRows(data.Path, "reminders", "acme/henry"));

        var receipt = await doomed.DeleteAsync();

        Assert.Equal("henry", receipt.User);
        Assert.Equal(FixtureConversation.Messages().Count, receipt.NodesDeleted);
        Assert.True(receipt.SemanticItemsDeleted > 0);
        Assert.Equal([], Keys(data.Path, "grain_state", "acme/henry"));
        Assert.Equal(0, CountRows(data.Path, "reminders", "acme/henry"));
        Assert.Equal(0, (await doomed.Graph.Stats()).Nodes);
        Assert.Empty((await doomed.RetrieveAsync("camping", FixtureConversation.End)).Items);

        // Stopping the silo flushes and deactivates everything: still nothing of henry's, and henrietta is intact.
        await cluster.StopAllSilosAsync();
        Assert.Equal(0, CountRows(data.Path, "grain_state", "acme/henry/"));
        Assert.Equal(0, CountRows(data.Path, "grain_state", "acme/henry", exact: true));
        Assert.True(CountRows(data.Path, "grain_state", "acme/henrietta") >= FixtureConversation.Messages().Count);
    }

    private static long CountRows(string directory, string table, string keyPrefix, bool exact = false)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "helamem.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = exact
            ? $"SELECT COUNT(*) FROM {table} WHERE grain_key = $key"
            : $"SELECT COUNT(*) FROM {table} WHERE grain_key = $key OR grain_key LIKE $prefix";
        command.Parameters.AddWithValue("$key", keyPrefix);
        command.Parameters.AddWithValue("$prefix", keyPrefix.TrimEnd('/') + "/%");
        return (long)command.ExecuteScalar()!;
    }

    private static List<string> Keys(string directory, string table, string keyPrefix)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "helamem.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT grain_type || ':' || grain_key FROM {table} WHERE grain_key = $key OR grain_key LIKE $prefix ORDER BY 1";
        command.Parameters.AddWithValue("$key", keyPrefix);
        command.Parameters.AddWithValue("$prefix", keyPrefix + "/%");
        var keys = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true.");
            await Task.Delay(10);
        }
    }
}
