using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace HelaMem.Grains.Tests;

/// <summary>Design §5 on real SQLite files: acknowledged ingests survive a crash, Hebbian updates are flushed and never applied twice.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Acknowledged_ingests_survive_a_silo_kill_on_sqlite()
    {
        using var data = new TempDirectory();
        await using var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "dana");
        var messages = FixtureConversation.Messages();
        var ids = await session.IngestAsync(messages, batchSize: 5);
        var before = await session.RetrieveAsync(FixtureConversation.Questions[2], FixtureConversation.End);

        // kill -9 of the only silo: no deactivation, no flush; then a new silo on the same database.
        await cluster.KillAndRestartAsync();

        var stats = await session.Graph.Stats();
        Assert.Equal(messages.Count, stats.Nodes);
        for (var i = 0; i < ids.Count; i++)
        {
            var node = await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/dana/{ids[i]}").Read(stats.Step);
            Assert.Equal(messages[i].Content, node!.Content);
        }

        // The graph rebuilt its index from the nodes: the same question finds the same base items.
        var after = await session.RetrieveAsync(FixtureConversation.Questions[2], FixtureConversation.End);
        Assert.Equal(
            before.Items.Where(i => i.Pathway == RetrievalPathway.Base).Select(i => i.NodeId).Order(),
            after.Items.Where(i => i.Pathway == RetrievalPathway.Base).Select(i => i.NodeId).Order());
    }

    [Fact]
    public async Task A_silo_kill_in_the_middle_of_a_stream_of_ingests_loses_no_acknowledged_message()
    {
        using var data = new TempDirectory();
        await using var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var graph = cluster.Grains.GetGrain<IUserGraphGrain>("acme/ivan");
        var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<(long Id, string Content)>();
        var start = new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero);

        var stream = Task.Run(async () =>
        {
            for (var batch = 0; batch < 80; batch++)
            {
                IngestMessage[] messages = [.. Enumerable.Range(0, 5).Select(i => new IngestMessage($"ivan: note {batch}-{i} about topic {(batch * 5) + i}", "ivan", start.AddMinutes((batch * 5) + i)))];
                try
                {
                    var receipt = await graph.Ingest(messages);
                    for (var i = 0; i < messages.Length; i++)
                    {
                        acknowledged.Enqueue((receipt.NodeIds[i], messages[i].Content));
                    }
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    // The call that was running when the silo died: not acknowledged, so it may or may not be there.
                }
            }
        });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < 100)
        {
            Assert.True(DateTime.UtcNow < deadline, "The ingest stream did not get going.");
            await Task.Delay(5);
        }

        await cluster.KillAndRestartAsync();
        await stream;

        var stats = await graph.Stats();
        foreach (var (id, content) in acknowledged)
        {
            var node = await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/ivan/{id}").Read(stats.Step);
            Assert.Equal(content, node?.Content);
        }

        Assert.True(stats.Nodes >= acknowledged.Count);
    }

    [Fact]
    public async Task Hebbian_updates_reach_disk_within_the_flush_interval_and_a_duplicate_is_never_applied_twice()
    {
        using var data = new TempDirectory();
        await using var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "erin");
        await session.IngestAsync(FixtureConversation.Messages());
        var retrieval = await session.RetrieveAsync(FixtureConversation.Questions[0], FixtureConversation.End);
        var first = retrieval.Items[0].NodeId;
        var second = retrieval.Items[1].NodeId;

        // Wait (bounded) until the timer has written the learned weight; nothing calls Flush.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!StoredStateMentions(data.Path, $"acme/erin/{first}", "\"Learned\":0.02"))
        {
            Assert.True(DateTime.UtcNow < deadline, "The Hebbian update never reached the database.");
            await Task.Delay(20);
        }

        var node = cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/erin/{first}");
        var learned = (await node.Read(retrieval.RetrievalId))!.Edges.Single(e => e.Neighbour == second).LearnedWeight;
        var applied = (await node.Read(retrieval.RetrievalId))!.AppliedReinforcementId;

        // A retried (duplicated) message carries the same reinforcement id: ignored, before and after a crash.
        var duplicate = new Reinforcement(applied, retrieval.RetrievalId, [first, second], null);
        await node.Reinforce(duplicate);
        Assert.Equal(learned, (await node.Read(retrieval.RetrievalId))!.Edges.Single(e => e.Neighbour == second).LearnedWeight);

        await cluster.KillAndRestartAsync();
        await node.Reinforce(duplicate);
        var reloaded = (await node.Read(retrieval.RetrievalId))!;
        Assert.Equal(learned, reloaded.Edges.Single(e => e.Neighbour == second).LearnedWeight);
        Assert.Equal(applied, reloaded.AppliedReinforcementId);

        // A new id is applied once. Reinforce is one-way: wait (bounded) until the node has applied it.
        await node.Reinforce(duplicate with { ReinforcementId = applied + 1, Step = retrieval.RetrievalId + 1 });
        var appliedDeadline = DateTime.UtcNow.AddSeconds(10);
        NodeData current;
        while ((current = (await node.Read(retrieval.RetrievalId + 1))!).AppliedReinforcementId != applied + 1)
        {
            Assert.True(DateTime.UtcNow < appliedDeadline, "The one-way reinforcement was never applied.");
            await Task.Delay(10);
        }

        Assert.True(current.Edges.Single(e => e.Neighbour == second).LearnedWeight > learned);
    }

    [Fact]
    public async Task Node_embeddings_are_stored_compactly_and_states_with_the_earlier_array_form_still_load()
    {
        using var data = new TempDirectory();
        var messages = FixtureConversation.Messages();
        NodeData expected;
        await using (var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path))
        {
            await new GrainRetrievalSession(cluster.Grains, "acme", "gus").IngestAsync(messages);
            expected = (await cluster.Grains.GetGrain<IMemoryNodeGrain>("acme/gus/3").Read(0))!;
        }

        // The embedding is one base64 string of its float bits, not an array of numbers.
        var stored = JsonNode.Parse(StoredStates.Payload(data.Path, "acme/gus/3")!)!["Embedding"]!;
        Assert.Equal(JsonValueKind.String, stored.GetValueKind());
        Assert.Equal(expected.Embedding.Count * sizeof(float), Convert.FromBase64String(stored.GetValue<string>()).Length);

        // Write node 3 back as the previous version did: the embedding as an array of numbers.
        StoredStates.Rewrite(data.Path, "acme/gus/3", json => json["Embedding"] = new JsonArray([.. expected.Embedding.Select(v => (JsonNode?)JsonValue.Create(v))]));
        Assert.StartsWith("[", JsonNode.Parse(StoredStates.Payload(data.Path, "acme/gus/3")!)!["Embedding"]!.ToJsonString(), StringComparison.Ordinal);

        await using var restarted = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var reloaded = (await restarted.Grains.GetGrain<IMemoryNodeGrain>("acme/gus/3").Read(0))!;
        Assert.Equal(expected.Embedding, reloaded.Embedding);
        Assert.Equal(expected.Content, reloaded.Content);
        var other = (await restarted.Grains.GetGrain<IMemoryNodeGrain>("acme/gus/4").Read(0))!;
        Assert.Equal(expected.Embedding.Count, other.Embedding.Count);
        Assert.Equal(messages.Count, (await restarted.Grains.GetGrain<IUserGraphGrain>("acme/gus").Stats()).Nodes);
    }

    [Fact]
    public async Task Retrievals_served_just_before_a_graceful_silo_stop_are_counted_by_the_tenant_after_the_restart()
    {
        using var data = new TempDirectory();
        await using (var cluster = await MemoryCluster.StartAsync(sqliteDirectory: data.Path, configure: o => o.WeightFlushInterval = TimeSpan.FromMinutes(5)))
        {
            var session = new GrainRetrievalSession(cluster.Grains, "acme", "hal");
            await session.IngestAsync(FixtureConversation.Messages());
            for (var i = 0; i < 3; i++)
            {
                await session.RetrieveAsync(FixtureConversation.Questions[i], FixtureConversation.End);
            }

            // No flush has reported them yet (5 min interval); the silo stops with the tenant grain going down too.
            await cluster.StopAllSilosAsync();
        }

        await using var restarted = await MemoryCluster.StartAsync(sqliteDirectory: data.Path);
        var graph = restarted.Grains.GetGrain<IUserGraphGrain>("acme/hal");
        Assert.Equal(3, (await graph.Stats()).Retrievals);
        var tenant = restarted.Grains.GetGrain<ITenantGrain>("acme");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await tenant.Usage()).Retrievals != 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The tenant counts {(await tenant.Usage()).Retrievals} retrievals, not 3.");
            await Task.Delay(50);
        }
    }

    private static bool StoredStateMentions(string directory, string grainKey, string text)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "helamem.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state WHERE grain_key = $key";
        command.Parameters.AddWithValue("$key", grainKey);
        return command.ExecuteScalar() is byte[] payload && System.Text.Encoding.UTF8.GetString(payload).Contains(text, StringComparison.Ordinal);
    }
}
