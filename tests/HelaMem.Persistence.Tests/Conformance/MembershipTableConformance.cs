using System.Net;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// The contract every Orleans <see cref="IMembershipTable"/> of HelaMem must meet: every insert and update changes
/// the table version atomically with the row and only from the version the writer read, so of concurrent writers
/// exactly one wins per version; row ETags fence updates; I-am-alive touches nothing else; deletes and cleanup stay
/// within their cluster. A provider joins with one subclass; each test works in a cluster id of its own.
/// </summary>
public abstract class MembershipTableConformance : IAsyncLifetime
{
    private static int s_nextPort = 20_000;
    private readonly List<IMembershipTable> _tables = [];
    private IMembershipTable? _table;

    protected string ClusterId { get; } = $"conformance-{Guid.NewGuid():N}";

    /// <summary>The table of <see cref="ClusterId"/>, initialized with <c>tryInitTableVersion: true</c> as a silo does.</summary>
    protected IMembershipTable Table => _table ?? throw new InvalidOperationException("The table is created in InitializeAsync.");

    /// <summary>The provider's documented departures from the contract (docs/storage.md); HelaMem's own have none.</summary>
    protected virtual MembershipTableDifferences Differences => MembershipTableDifferences.None;

    private bool Has(MembershipTableDifferences difference) => (Differences & difference) != 0;

    /// <summary>Creates a table for <paramref name="clusterId"/>, not yet initialized.</summary>
    protected abstract Task<IMembershipTable> CreateTableAsync(string clusterId);

    public async Task InitializeAsync() => _table = await InitializedTableAsync(ClusterId);

    public async Task DisposeAsync()
    {
        foreach (var table in _tables)
        {
            if (table is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    protected async Task<IMembershipTable> InitializedTableAsync(string clusterId, bool tryInitTableVersion = true)
    {
        var table = await CreateTableAsync(clusterId);
        _tables.Add(table);
        await table.InitializeMembershipTableAsync(tryInitTableVersion);
        return table;
    }

    // Whole milliseconds: every provider must keep at least millisecond precision.
    private static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    protected static MembershipEntry Entry(SiloStatus status = SiloStatus.Active, DateTime? time = null, int generation = 1)
    {
        var port = Interlocked.Increment(ref s_nextPort);
        var at = time ?? Now();
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation),
            Status = status,
            ProxyPort = port + 10_000,
            HostName = "host-\u00e9",
            SiloName = $"silo-{port}",
            RoleName = "memory",
            UpdateZone = 3,
            FaultZone = 5,
            StartTime = at,
            IAmAliveTime = at,
            SuspectTimes = [],
        };
    }

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.SiloAddress.Generation, actual.SiloAddress.Generation);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.RoleName, actual.RoleName);
        Assert.Equal(expected.UpdateZone, actual.UpdateZone);
        Assert.Equal(expected.FaultZone, actual.FaultZone);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(
            (expected.SuspectTimes ?? []).Select(s => (s.Item1, s.Item2)),
            (actual.SuspectTimes ?? []).Select(s => (s.Item1, s.Item2)));
    }

    [Fact]
    public async Task A_new_table_has_version_zero_and_no_members_and_initializing_again_keeps_its_version()
    {
        var data = await Table.ReadAllAsync();

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.False(string.IsNullOrEmpty(data.Version.VersionEtag));

        var second = await InitializedTableAsync(ClusterId);
        Assert.Equal(data.Version, (await second.ReadAllAsync()).Version);
    }

    [Fact]
    public async Task Insert_stores_every_field_and_moves_the_table_version_on()
    {
        var before = await Table.ReadAllAsync();
        var entry = Entry();
        entry.AddSuspector(Entry().SiloAddress, Now().AddSeconds(-3));

        Assert.True(await Table.InsertRowAsync(entry, before.Version.Next()));

        var after = await Table.ReadAllAsync();
        Assert.Equal(1, after.Version.Version);
        Assert.NotEqual(before.Version.VersionEtag, after.Version.VersionEtag);
        var (stored, eTag) = Assert.Single(after.Members);
        AssertSameEntry(entry, stored);
        Assert.False(string.IsNullOrEmpty(eTag));

        var row = await Table.ReadRowAsync(entry.SiloAddress);
        Assert.Equal(after.Version, row.Version);
        var (rowEntry, rowETag) = Assert.Single(row.Members);
        AssertSameEntry(entry, rowEntry);
        Assert.Equal(eTag, rowETag);
    }

    [Fact]
    public async Task Read_row_of_an_unknown_silo_returns_no_entry_and_the_current_version()
    {
        Assert.True(await Table.InsertRowAsync(Entry(), (await Table.ReadAllAsync()).Version.Next()));

        var row = await Table.ReadRowAsync(Entry().SiloAddress);

        Assert.Empty(row.Members);
        Assert.Equal((await Table.ReadAllAsync()).Version, row.Version);
    }

    [Fact]
    public async Task Insert_of_a_silo_already_in_the_table_is_refused_and_changes_nothing()
    {
        var entry = Entry();
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));
        var before = await Table.ReadAllAsync();
        var twin = Entry(SiloStatus.Joining);
        twin.SiloAddress = entry.SiloAddress;

        Assert.False(await Table.InsertRowAsync(twin, before.Version.Next()));

        var after = await Table.ReadAllAsync();
        Assert.Equal(before.Version, after.Version);
        AssertSameEntry(entry, Assert.Single(after.Members).Item1);
    }

    [Fact]
    public async Task Insert_with_a_stale_table_version_is_refused_and_changes_nothing()
    {
        var stale = (await Table.ReadAllAsync()).Version;
        var first = Entry();
        Assert.True(await Table.InsertRowAsync(first, stale.Next()));
        var current = (await Table.ReadAllAsync()).Version;

        Assert.False(await Table.InsertRowAsync(Entry(), stale.Next()));
        if (Has(MembershipTableDifferences.MalformedVersionETagInsertThrows))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Table.InsertRowAsync(Entry(), new TableVersion(current.Version + 1, "not-an-etag")));
        }
        else
        {
            Assert.False(await Table.InsertRowAsync(Entry(), new TableVersion(current.Version + 1, "not-an-etag")));
        }

        var after = await Table.ReadAllAsync();
        Assert.Equal(current, after.Version);
        AssertSameEntry(first, Assert.Single(after.Members).Item1);
    }

    [Fact]
    public async Task Update_with_the_current_row_etag_and_table_version_replaces_the_entry()
    {
        var entry = Entry(SiloStatus.Joining);
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));
        var read = await Table.ReadRowAsync(entry.SiloAddress);
        var (stored, eTag) = Assert.Single(read.Members);

        stored.Status = SiloStatus.Active;
        stored.AddSuspector(Entry().SiloAddress, Now());
        stored.IAmAliveTime = Now().AddSeconds(5);
        Assert.True(await Table.UpdateRowAsync(stored, eTag, read.Version.Next()));

        var after = await Table.ReadRowAsync(entry.SiloAddress);
        Assert.Equal(read.Version.Version + 1, after.Version.Version);
        Assert.NotEqual(read.Version.VersionEtag, after.Version.VersionEtag);
        var (updated, newETag) = Assert.Single(after.Members);
        AssertSameEntry(stored, updated);
        Assert.NotEqual(eTag, newETag);
    }

    [Fact]
    public async Task Update_with_a_stale_row_etag_is_refused_and_changes_nothing()
    {
        var entry = Entry(SiloStatus.Joining);
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));
        var first = await Table.ReadRowAsync(entry.SiloAddress);
        var staleETag = first.Members[0].Item2;
        entry.Status = SiloStatus.Active;
        Assert.True(await Table.UpdateRowAsync(entry, staleETag, first.Version.Next()));
        var current = await Table.ReadRowAsync(entry.SiloAddress);

        var intruder = current.Members[0].Item1;
        intruder.Status = SiloStatus.Dead;
        if (Has(MembershipTableDifferences.RowETagNotCheckedInTransactions))
        {
            // The stale row ETag is not checked: the update goes through on the current table version, which moves on.
            Assert.True(await Table.UpdateRowAsync(intruder, staleETag, current.Version.Next()));
            Assert.Equal(SiloStatus.Dead, (await Table.ReadRowAsync(entry.SiloAddress)).Members[0].Item1.Status);
            return;
        }

        Assert.False(await Table.UpdateRowAsync(intruder, staleETag, current.Version.Next()));
        Assert.False(await Table.UpdateRowAsync(intruder, "never-issued", current.Version.Next()));

        var after = await Table.ReadRowAsync(entry.SiloAddress);
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(SiloStatus.Active, after.Members[0].Item1.Status);
        Assert.Equal(current.Members[0].Item2, after.Members[0].Item2);
    }

    [Fact]
    public async Task Update_with_a_stale_table_version_is_refused_even_with_the_current_row_etag()
    {
        var entry = Entry();
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));
        var stale = await Table.ReadRowAsync(entry.SiloAddress);
        Assert.True(await Table.InsertRowAsync(Entry(), stale.Version.Next()));

        entry.Status = SiloStatus.ShuttingDown;
        Assert.False(await Table.UpdateRowAsync(entry, stale.Members[0].Item2, stale.Version.Next()));

        var after = await Table.ReadAllAsync();
        Assert.Equal(2, after.Version.Version);
        Assert.Equal(SiloStatus.Active, after.TryGet(entry.SiloAddress)!.Item1.Status);
    }

    [Fact]
    public async Task Update_of_a_silo_not_in_the_table_is_refused_and_leaves_the_version()
    {
        var before = await Table.ReadAllAsync();
        var eTagOfAnother = await InsertAndGetETagAsync(Entry());
        var current = await Table.ReadAllAsync();

        Assert.False(await Table.UpdateRowAsync(Entry(), eTagOfAnother, current.Version.Next()));

        var after = await Table.ReadAllAsync();
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(before.Version.Version + 1, after.Version.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task I_am_alive_writes_only_that_time_and_leaves_the_table_version()
    {
        var entry = Entry();
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));
        var before = await Table.ReadRowAsync(entry.SiloAddress);

        // Everything but the I-am-alive time differs in what is passed: none of it may be written.
        var alive = Entry(SiloStatus.Dead);
        alive.SiloAddress = entry.SiloAddress;
        alive.IAmAliveTime = entry.IAmAliveTime.AddMinutes(1);
        await Table.UpdateIAmAliveAsync(alive);

        var after = await Table.ReadRowAsync(entry.SiloAddress);
        Assert.Equal(before.Version, after.Version);
        var (stored, eTag) = Assert.Single(after.Members);
        entry.IAmAliveTime = alive.IAmAliveTime;
        AssertSameEntry(entry, stored);

        // The ETag a reader sees afterwards fences the next update as usual.
        stored.Status = SiloStatus.ShuttingDown;
        Assert.True(await Table.UpdateRowAsync(stored, eTag, after.Version.Next()));
    }

    [Fact]
    public async Task Of_20_concurrent_writers_of_one_table_version_exactly_one_wins_each_round()
    {
        const int writers = 20;
        var first = Entry();
        Assert.True(await Table.InsertRowAsync(first, (await Table.ReadAllAsync()).Version.Next()));

        for (var round = 0; round < 6; round++)
        {
            var before = await Table.ReadAllAsync();
            var (current, eTag) = before.TryGet(first.SiloAddress)!;
            var inserting = round % 2 == 0;
            var candidates = Enumerable.Range(0, writers).Select(writer =>
            {
                if (inserting)
                {
                    return Entry();
                }

                // Updates race on the same row, each with its own content.
                var update = Entry(SiloStatus.Active, current.StartTime);
                update.SiloAddress = current.SiloAddress;
                update.SiloName = $"round {round} writer {writer}";
                return update;
            }).ToList();

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = candidates.Select(candidate => Task.Run(async () =>
            {
                await gate.Task;
                return inserting
                    ? await Table.InsertRowAsync(candidate, before.Version.Next())
                    : await Table.UpdateRowAsync(candidate, eTag, before.Version.Next());
            })).ToArray();
            gate.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            Assert.Equal(1, outcomes.Count(won => won));
            var winner = candidates[Array.IndexOf(outcomes, true)];
            var after = await Table.ReadAllAsync();
            Assert.Equal(before.Version.Version + 1, after.Version.Version);
            Assert.Equal(before.Members.Count + (inserting ? 1 : 0), after.Members.Count);
            AssertSameEntry(winner, after.TryGet(winner.SiloAddress)!.Item1);
            foreach (var loser in candidates.Where(c => !ReferenceEquals(c, winner) && inserting))
            {
                Assert.Null(after.TryGet(loser.SiloAddress));
            }
        }
    }

    [Fact]
    public async Task Concurrent_joiners_that_reread_after_losing_all_get_in_one_version_each()
    {
        const int joiners = 20;
        var entries = Enumerable.Range(0, joiners).Select(_ => Entry(SiloStatus.Joining)).ToList();
        var start = (await Table.ReadAllAsync()).Version.Version;

        var attempts = await Task.WhenAll(entries.Select(entry => Task.Run(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()))
                {
                    return attempt;
                }
            }
        })));

        var after = await Table.ReadAllAsync();
        Assert.Equal(start + joiners, after.Version.Version);
        Assert.Equal(joiners, after.Members.Count);
        Assert.Contains(attempts, attempt => attempt > 1);
    }

    [Fact]
    public async Task Delete_membership_table_entries_removes_that_cluster_only()
    {
        var otherCluster = $"{ClusterId}-other";
        var other = await InitializedTableAsync(otherCluster);
        var kept = Entry();
        Assert.True(await other.InsertRowAsync(kept, (await other.ReadAllAsync()).Version.Next()));
        Assert.True(await Table.InsertRowAsync(Entry(), (await Table.ReadAllAsync()).Version.Next()));
        Assert.DoesNotContain((await Table.ReadAllAsync()).Members, m => m.Item1.SiloAddress.Equals(kept.SiloAddress));

        await Table.DeleteMembershipTableEntriesAsync(ClusterId);

        if (Has(MembershipTableDifferences.DeletedClusterUnreadableUntilInitialized))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Table.ReadAllAsync());
        }
        else
        {
            Assert.Empty((await Table.ReadAllAsync()).Members);
        }

        var survivors = await other.ReadAllAsync();
        AssertSameEntry(kept, Assert.Single(survivors.Members).Item1);
        Assert.Equal(1, survivors.Version.Version);

        // A silo of the deleted cluster starts it again from version 0.
        var restarted = await InitializedTableAsync(ClusterId);
        var fresh = await restarted.ReadAllAsync();
        Assert.Equal(0, fresh.Version.Version);
        Assert.True(await restarted.InsertRowAsync(Entry(), fresh.Version.Next()));
    }

    [Fact]
    public async Task Cleanup_removes_dead_entries_older_than_the_date_and_keeps_the_rest()
    {
        var now = Now();
        var deadLongAgo = Entry(SiloStatus.Dead, now.AddHours(-3));
        var deadRecently = Entry(SiloStatus.Dead, now.AddHours(-3));
        deadRecently.IAmAliveTime = now.AddMinutes(-1);
        var activeLongAgo = Entry(SiloStatus.Active, now.AddHours(-3));
        foreach (var entry in new[] { deadLongAgo, deadRecently, activeLongAgo })
        {
            Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));
        }

        var other = await InitializedTableAsync($"{ClusterId}-other");
        var otherDead = Entry(SiloStatus.Dead, now.AddHours(-3));
        Assert.True(await other.InsertRowAsync(otherDead, (await other.ReadAllAsync()).Version.Next()));

        await Table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(now.AddHours(-1)));

        var left = await Table.ReadAllAsync();
        Assert.Null(left.TryGet(deadLongAgo.SiloAddress));
        Assert.NotNull(left.TryGet(deadRecently.SiloAddress));
        Assert.NotNull(left.TryGet(activeLongAgo.SiloAddress));
        Assert.NotNull((await other.ReadAllAsync()).TryGet(otherDead.SiloAddress));
    }

    [Fact]
    public async Task A_reader_that_does_not_initialize_sees_the_table_a_silo_writes()
    {
        var entry = Entry();
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));

        var reader = await InitializedTableAsync(ClusterId, tryInitTableVersion: false);

        var data = await reader.ReadAllAsync();
        AssertSameEntry(entry, Assert.Single(data.Members).Item1);
        Assert.Equal(1, data.Version.Version);
    }

    private async Task<string> InsertAndGetETagAsync(MembershipEntry entry)
    {
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync()).Version.Next()));
        return (await Table.ReadRowAsync(entry.SiloAddress)).Members[0].Item2;
    }
}
