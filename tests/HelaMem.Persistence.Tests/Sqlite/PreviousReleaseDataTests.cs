using HelaMem.Persistence.Tests.Conformance;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>
/// A data directory written by the last release on the own runtime (tests/HelaMem.Silo.Tests/Fixtures/own-runtime-data),
/// opened as a copy through Orleans' interfaces: its grain states read back unchanged under the grain ids the grains
/// keep (<c>[GrainType("tenant")]</c> and string keys), and its reminders, which have no grain hash, answer range reads.
/// </summary>
public sealed class PreviousReleaseDataTests : IDisposable
{
    private const string FixtureRelativePath = "tests/HelaMem.Silo.Tests/Fixtures/own-runtime-data/helamem.db";

    private readonly TempDirectory _directory = new();

    public PreviousReleaseDataTests() => File.Copy(FindFixture(), Path.Combine(_directory.Path, "helamem.db"));

    public void Dispose() => _directory.Dispose();

    // The stored fields of the tenant grain's state, as the previous release wrote them.
    public sealed class TenantState
    {
        public TenantSettings Settings { get; set; } = new();

        public int Users { get; set; }

        public List<string> UserIds { get; set; } = [];

        public bool UserListComplete { get; set; }

        public long MessagesIngested { get; set; }
    }

    public sealed class TenantSettings
    {
        public int? MaxUsers { get; set; }

        public int MaxMessagesPerIngest { get; set; }

        public int MaxMessageLength { get; set; }

        public string? Profile { get; set; }
    }

    public sealed class GraphState
    {
        public int NodeCount { get; set; }

        public string? Profile { get; set; }
    }

    public sealed class NodeState
    {
        public string Content { get; set; } = "";

        public string Speaker { get; set; } = "";

        public DateTimeOffset Timestamp { get; set; }

        public List<string> Keywords { get; set; } = [];
    }

    [Fact]
    public async Task Grain_states_of_the_previous_release_read_back_through_orleans_grain_ids()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);

        var tenant = new GrainState<TenantState>(new TenantState());
        await storage.ReadStateAsync("tenant", GrainId.Create("tenant", "fixture"), tenant);
        Assert.True(tenant.RecordExists);
        Assert.Equal("13", tenant.ETag);
        Assert.Equal(2, tenant.State!.Users);
        Assert.Equal(["alice", "bob"], tenant.State.UserIds);
        Assert.True(tenant.State.UserListComplete);
        Assert.Equal(8, tenant.State.MessagesIngested);
        Assert.Null(tenant.State.Settings.MaxUsers);
        Assert.Equal(1000, tenant.State.Settings.MaxMessagesPerIngest);
        Assert.Equal(16384, tenant.State.Settings.MaxMessageLength);

        var graph = new GrainState<GraphState>(new GraphState());
        await storage.ReadStateAsync("graph", GrainId.Create("user-graph", "fixture/alice"), graph);
        Assert.Equal(6, graph.State!.NodeCount);
        Assert.Equal("helamem", graph.State.Profile);

        var node = new GrainState<NodeState>(new NodeState());
        await storage.ReadStateAsync("node", GrainId.Create("memory-node", "fixture/alice/3"), node);
        Assert.Equal("25", node.ETag);
        Assert.Equal("He is three years old and very energetic", node.State!.Content);
        Assert.Equal("Alice", node.State.Speaker);
        Assert.Equal(["thre", "year", "old", "energetic"], node.State.Keywords);
        Assert.Equal(2026, node.State.Timestamp.Year);

        var missing = new GrainState<NodeState>(new NodeState { Content = "left over" });
        await storage.ReadStateAsync("node", GrainId.Create("memory-node", "fixture/alice/99"), missing);
        Assert.False(missing.RecordExists);
        Assert.Equal("", missing.State!.Content);
    }

    [Fact]
    public async Task Writes_on_the_old_data_check_the_old_etags_and_continue_its_etag_sequence()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        var grain = GrainId.Create("tenant", "fixture");
        var tenant = new GrainState<TenantState>(new TenantState());
        await storage.ReadStateAsync("tenant", grain, tenant);

        var stale = new GrainState<TenantState>(tenant.State!) { ETag = "12", RecordExists = true };
        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => storage.WriteStateAsync("tenant", grain, stale));

        tenant.State!.Users = 3;
        await storage.WriteStateAsync("tenant", grain, tenant);
        Assert.Equal("26", tenant.ETag);
    }

    [Fact]
    public async Task Reminders_of_the_previous_release_get_their_grain_hash_and_answer_range_reads()
    {
        await using var table = await SqliteTestStores.StartedRemindersAsync(_directory.Path);
        var alice = GrainId.Create("consolidation", "fixture/alice");
        var bob = GrainId.Create("consolidation", "fixture/bob");

        var whole = (await table.ReadRows(0u, 0u)).Reminders;
        Assert.Equal([alice, bob], whole.Select(r => r.GrainId).OrderBy(g => g.ToString(), StringComparer.Ordinal));
        Assert.All(whole, r => Assert.Equal("consolidate", r.ReminderName));
        Assert.All(whole, r => Assert.Equal(TimeSpan.FromMinutes(10), r.Period));

        var aliceRow = Assert.Single((await table.ReadRows(alice)).Reminders);
        Assert.Equal("12", aliceRow.ETag);
        Assert.Equal(new DateTime(639318804444182602, DateTimeKind.Utc), aliceRow.StartAt);

        foreach (var grain in new[] { alice, bob })
        {
            var hash = grain.GetUniformHashCode();
            Assert.Equal(grain, Assert.Single((await table.ReadRows(hash - 1, hash)).Reminders).GrainId);
            Assert.DoesNotContain((await table.ReadRows(hash, hash + 1)).Reminders, r => r.GrainId == grain);
        }

        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var begin = (uint)random.NextInt64(0, 1L << 32);
            var end = (uint)random.NextInt64(0, 1L << 32);
            var expected = whole.Where(r => ReminderTableConformance.InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(r => r.GrainId.ToString()).Order(StringComparer.Ordinal);
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }
    }

    private static string FindFixture()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, FixtureRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"The previous release's data directory ({FixtureRelativePath}) was not found above {AppContext.BaseDirectory}.");
    }
}
