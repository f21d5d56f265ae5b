using HelaMem.Client.Contracts;
using HelaMem.Embeddings;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Silo.Tests.Upgrade;

/// <summary>
/// Upgrading keeps data: today's silo (on Orleans) started on a copy of the data directory the last release on the own
/// runtime wrote (Fixtures/own-runtime-data, see its README) serves it unchanged through the HTTP API, continues its
/// learning step, takes new memories, and keeps the consolidation reminders (migrated to carry Orleans' grain hash).
/// The release embedded the memories with GloVe-SIF from the default cache, so today's silo runs with it too (set up on
/// first use, as the embedder tests do): a query embedded otherwise would not be comparable with the stored vectors.
/// </summary>
public sealed class OwnRuntimeDataUpgradeTests
{
    private const string OperatorKey = "op-fixture-key-0123456789abcdef";
    private const string Tenant = "fixture";
    private const string KeyId = "1b0c5ac409ba";
    private const string ApiKey = "hm.fixture.1b0c5ac409ba.82fc3c880998c8a3eb16e11be3f001519730cd70da2fbee6d4afeb2df4979323";

    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "own-runtime-data", "helamem.db");

    [Fact]
    public async Task The_previous_releases_data_directory_is_served_continued_and_its_reminders_kept()
    {
        using var data = new TempDirectory("helamem-upgrade");
        File.Copy(Fixture, Path.Combine(data.Path, "helamem.db"));
        var alice = GrainId.Create("consolidation", $"{Tenant}/alice");
        var bob = GrainId.Create("consolidation", $"{Tenant}/bob");

        var glove = EmbeddingCache.DefaultDirectory;
        await GloveSetup.EnsureCacheAsync(glove);
        var settings = new Dictionary<string, string?> { ["HELAMEM_OPERATOR_KEY"] = OperatorKey, ["HelaMem:EmbeddingCacheDirectory"] = glove };
        await using (var silo = new SiloFactory(settings, data))
        {
            using var client = silo.TypedClient(ApiKey);
            using var ops = silo.TypedClient();

            // What alice and bob had.
            var stats = await client.GetUserStatsAsync("alice");
            Assert.Equal((6, 6, 4, 4), (stats.Nodes, stats.ActiveNodes, stats.Step, stats.Retrievals));
            var first = await client.GetMemoryAsync("alice", 0);
            Assert.Equal("I adopted a dog named Rex last spring", first.Content);
            Assert.Equal("Alice", first.Speaker);
            Assert.Equal("D1:1", first.Metadata["dia_id"]);
            Assert.Equal(4, first.AccessCount);
            Assert.Equal(
                ["I adopted a dog named Rex last spring", "Rex loves the beach near Santa Cruz", "That sounds lovely, how old is Rex?",
                 "He is three years old and very energetic", "I started painting watercolours in March", "My sister Carol visits every summer from Denver"],
                (await client.ListMemoriesAsync("alice")).Items.Select(m => m.Content));
            var bobs = await client.ListMemoriesAsync("bob");
            Assert.Equal(2, bobs.Total);
            Assert.Equal(["I run marathons and my best time is 3 hours 10 minutes", "Next race is in Berlin in September"], bobs.Items.Select(m => m.Content));
            Assert.Equal(0, (await client.GetUserStatsAsync("bob")).Step);

            // The tenant, its key and its usage, through the operator routes.
            var listed = Assert.Single((await ops.ListTenantsAsync()).Tenants, t => t.Name == Tenant);
            Assert.False(listed.Disabled);
            Assert.Equal(KeyId, Assert.Single(listed.Keys).Id);
            var cluster = await ops.GetClusterStatsAsync();
            Assert.Equal("glove-sif-100d", cluster.Embedder);
            Assert.Equal("embedded", cluster.DeploymentProfile);
            var usage = await ops.GetTenantStatsAsync(Tenant);
            Assert.Equal((2, 8), (usage.Users, usage.MessagesIngested));

            // The reminders of the previous release, read through Orleans' reminder table while the silo runs.
            var reminders = silo.Services.GetRequiredService<IReminderTable>();
            foreach (var grain in new[] { alice, bob })
            {
                var reminder = await reminders.ReadRow(grain, "consolidate");
                Assert.NotNull(reminder);
                Assert.Equal(TimeSpan.FromMinutes(10), reminder.Period);
            }

            // Search continues the learning step where the previous release left it.
            var found = await client.SearchAsync("alice", new SearchRequest("what is the dog called?", TopK: 5));
            Assert.Equal(0, found.Items[0].Id);
            Assert.Equal("D1:1", found.Items[0].Metadata["dia_id"]);
            Assert.Equal(5, found.RetrievalId);
            stats = await client.GetUserStatsAsync("alice");
            Assert.Equal((5, 5), (stats.Step, stats.Retrievals));
            Assert.Equal(5, (await client.GetMemoryAsync("alice", 0)).AccessCount);

            // New memories go after the old ones, and the old user's graph consolidates.
            var ingested = await client.IngestAsync("alice", new IngestRequest([new MessageInput("Rex learned to fetch the frisbee at the beach", "Alice", Metadata: new Dictionary<string, string> { ["dia_id"] = "D2:1" })]));
            Assert.Equal([6L], ingested.NodeIds);
            Assert.Equal(7, ingested.NodeCount);
            Assert.Equal("D2:1", (await client.GetMemoryAsync("alice", 6)).Metadata["dia_id"]);
            await client.ConsolidateAsync("alice");
            Assert.Equal(7, (await client.GetUserStatsAsync("alice")).Nodes);
            Assert.Equal(9, (await ops.GetTenantStatsAsync(Tenant)).MessagesIngested);
        }

        // After the silo stopped: the reminders table is at schema 2 and every old row carries its grain's hash.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data.Path, "helamem.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var version = connection.CreateCommand();
        version.CommandText = "SELECT MAX(version) FROM schema_version;";
        Assert.Equal(2L, (long)(await version.ExecuteScalarAsync())!);
        await using var rows = connection.CreateCommand();
        rows.CommandText = "SELECT grain_type, grain_key, reminder_name, grain_hash, etag FROM reminders ORDER BY grain_key;";
        await using var reader = await rows.ExecuteReaderAsync();
        var stored = new List<(GrainId Grain, string Name, long? Hash, long ETag)>();
        while (await reader.ReadAsync())
        {
            stored.Add((GrainId.Create(reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt64(4)));
        }

        Assert.Equal([alice, bob], stored.Select(r => r.Grain));
        Assert.All(stored, r => Assert.Equal("consolidate", r.Name));
        Assert.All(stored, r => Assert.Equal((long)r.Grain.GetUniformHashCode(), r.Hash));

        // bob's row was migrated in place (the previous release's ETag), not written again by a new registration.
        Assert.Equal(17, stored[1].ETag);
    }
}
