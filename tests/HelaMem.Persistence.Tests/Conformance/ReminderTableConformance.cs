using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// The contract every Orleans <see cref="IReminderTable"/> of HelaMem must meet. A provider joins with one subclass
/// creating a started table per test (xunit makes one instance of the subclass per test).
/// </summary>
public abstract class ReminderTableConformance : IAsyncLifetime
{
    // Whole milliseconds: every provider must keep at least millisecond precision (PostgreSQL keeps microseconds).
    private static readonly DateTime Start = new(2026, 11, 21, 12, 30, 15, 250, DateTimeKind.Utc);

    private IReminderTable? _table;

    protected ConformanceScope Scope { get; } = new();

    protected IReminderTable Table => _table ?? throw new InvalidOperationException("The table is created in InitializeAsync.");

    /// <summary>Creates the table under test, started.</summary>
    protected abstract Task<IReminderTable> CreateTableAsync();

    /// <summary>
    /// Where the table under test is known to differ from the contract (none for HelaMem's own). Each difference is
    /// documented in docs/storage.md; the cases it touches assert the table's actual behaviour instead.
    /// </summary>
    protected virtual ReminderTableDifferences Differences => ReminderTableDifferences.None;

    private DateTimeKind ExpectedKind => Differences.HasFlag(ReminderTableDifferences.StartTimesComeBackUnspecified) ? DateTimeKind.Unspecified : DateTimeKind.Utc;

    /// <summary>Releases what <see cref="CreateTableAsync"/> created beyond the table (e.g. a temp directory).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _table = await CreateTableAsync();

    public async Task DisposeAsync()
    {
        if (_table is not null)
        {
            await _table.StopAsync();
        }

        if (_table is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await CleanupAsync();
    }

    protected ReminderEntry Entry(string name = "tick", string grainKey = "key", TimeSpan? period = null, DateTime? startAt = null, string grainType = "grain") => new()
    {
        GrainId = Scope.Grain(grainKey, grainType),
        ReminderName = name,
        StartAt = startAt ?? Start,
        Period = period ?? TimeSpan.FromMinutes(5),
    };

    /// <summary>Orleans' ring range: (begin, end], wrapping past uint.MaxValue when begin &gt;= end (so begin == end is the whole ring).</summary>
    public static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task<List<ReminderEntry>> WholeRingOfThisTest() =>
        [.. (await Table.ReadRows(0u, 0u)).Reminders.Where(row => Scope.Owns(row.GrainId))];

    private void AssertSameEntry(ReminderEntry expected, string expectedETag, ReminderEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.GrainId, actual.GrainId);
        Assert.Equal(expected.ReminderName, actual.ReminderName);
        Assert.Equal(expected.StartAt.ToUniversalTime(), actual.StartAt);
        Assert.Equal(ExpectedKind, actual.StartAt.Kind);
        Assert.Equal(expected.Period, actual.Period);
        Assert.Equal(expectedETag, actual.ETag);
    }

    [Fact]
    public async Task Reading_a_missing_reminder_returns_null_and_no_rows()
    {
        Assert.Null(await Table.ReadRow(Scope.Grain(), "nothing"));
        Assert.Empty((await Table.ReadRows(Scope.Grain())).Reminders);
        Assert.Empty(await WholeRingOfThisTest());
    }

    [Fact]
    public async Task Upsert_stores_every_field_and_returns_the_etag_a_read_sees()
    {
        var entry = Entry(period: TimeSpan.FromSeconds(90.5));

        var eTag = await Table.UpsertRow(entry);

        Assert.False(string.IsNullOrEmpty(eTag));
        AssertSameEntry(entry, eTag, await Table.ReadRow(entry.GrainId, entry.ReminderName));
        AssertSameEntry(entry, eTag, Assert.Single((await Table.ReadRows(entry.GrainId)).Reminders));
    }

    [Fact]
    public async Task Start_time_is_kept_as_the_same_instant_local_converted_unspecified_taken_as_utc()
    {
        await Table.UpsertRow(Entry("local", startAt: Start.ToLocalTime()));
        await Table.UpsertRow(Entry("unspecified", startAt: DateTime.SpecifyKind(Start, DateTimeKind.Unspecified)));

        foreach (var name in new[] { "local", "unspecified" })
        {
            var stored = await Table.ReadRow(Scope.Grain(), name);
            Assert.NotNull(stored);
            Assert.Equal(Start, stored.StartAt);
            Assert.Equal(ExpectedKind, stored.StartAt.Kind);
        }
    }

    [Fact]
    public async Task Upsert_of_an_existing_reminder_replaces_it_with_a_new_etag()
    {
        var first = await Table.UpsertRow(Entry(period: TimeSpan.FromMinutes(1)));

        var second = await Table.UpsertRow(Entry(period: TimeSpan.FromMinutes(2), startAt: Start.AddHours(1)));

        Assert.NotEqual(first, second);
        var stored = await Table.ReadRow(Scope.Grain(), "tick");
        Assert.NotNull(stored);
        Assert.Equal(second, stored.ETag);
        Assert.Equal(TimeSpan.FromMinutes(2), stored.Period);
        Assert.Equal(Start.AddHours(1), stored.StartAt);
        Assert.Single((await Table.ReadRows(Scope.Grain())).Reminders);
    }

    [Fact]
    public async Task Remove_with_the_current_etag_deletes_the_row()
    {
        var eTag = await Table.UpsertRow(Entry());

        Assert.True(await Table.RemoveRow(Scope.Grain(), "tick", eTag!));

        Assert.Null(await Table.ReadRow(Scope.Grain(), "tick"));
        Assert.Empty(await WholeRingOfThisTest());
    }

    [Fact]
    public async Task Remove_with_a_stale_or_foreign_etag_returns_false_and_keeps_the_row()
    {
        var stale = await Table.UpsertRow(Entry(period: TimeSpan.FromMinutes(1)));
        var current = await Table.UpsertRow(Entry(period: TimeSpan.FromMinutes(2)));

        Assert.False(await Table.RemoveRow(Scope.Grain(), "tick", stale!));
        if (Differences.HasFlag(ReminderTableDifferences.MalformedETagRemoveThrows))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Table.RemoveRow(Scope.Grain(), "tick", "never-issued"));
        }
        else
        {
            Assert.False(await Table.RemoveRow(Scope.Grain(), "tick", "never-issued"));
        }

        Assert.False(await Table.RemoveRow(Scope.Grain(), "tick", ""));

        var stored = await Table.ReadRow(Scope.Grain(), "tick");
        Assert.NotNull(stored);
        Assert.Equal(current, stored.ETag);
    }

    [Fact]
    public async Task Remove_of_a_missing_reminder_returns_false_and_touches_no_other()
    {
        var eTag = await Table.UpsertRow(Entry(name: "other"));

        Assert.False(await Table.RemoveRow(Scope.Grain(), "tick", eTag!));
        Assert.False(await Table.RemoveRow(Scope.Grain("another grain"), "other", eTag!));

        Assert.NotNull(await Table.ReadRow(Scope.Grain(), "other"));
    }

    [Fact]
    public async Task Etags_never_repeat_not_even_after_remove_and_re_upsert()
    {
        var seen = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            string? eTag = null;
            for (var upsert = 0; upsert < 4; upsert++)
            {
                eTag = await Table.UpsertRow(Entry(period: TimeSpan.FromMinutes(upsert + 1)));
                seen.Add(eTag!);
            }

            Assert.True(await Table.RemoveRow(Scope.Grain(), "tick", eTag!));
        }

        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task An_etag_from_before_a_remove_cannot_remove_the_recreated_row()
    {
        var old = await Table.UpsertRow(Entry());
        Assert.True(await Table.RemoveRow(Scope.Grain(), "tick", old!));
        await Table.UpsertRow(Entry());

        Assert.False(await Table.RemoveRow(Scope.Grain(), "tick", old!));
        Assert.NotNull(await Table.ReadRow(Scope.Grain(), "tick"));
    }

    [Fact]
    public async Task Read_rows_of_a_grain_returns_exactly_its_reminders()
    {
        await Table.UpsertRow(Entry("a", "tenant/user"));
        await Table.UpsertRow(Entry("b", "tenant/user"));
        await Table.UpsertRow(Entry("a", "tenant/user/node"));
        await Table.UpsertRow(Entry("a", "tenant"));
        await Table.UpsertRow(Entry("a", "tenant/user", grainType: "other"));

        var rows = (await Table.ReadRows(Scope.Grain("tenant/user"))).Reminders;

        Assert.Equal(["a", "b"], rows.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.All(rows, row => Assert.Equal(Scope.Grain("tenant/user"), row.GrainId));
    }

    [Fact]
    public async Task The_whole_ring_returns_every_reminder_with_its_current_etag()
    {
        var expected = new Dictionary<(GrainId, string), string>();
        foreach (var grain in new[] { "g1", "g2", "\u7528\u6237/\U0001F9E0" })
        {
            foreach (var name in new[] { "consolidate", "forget" })
            {
                var entry = Entry(name, grain);
                expected[(entry.GrainId, name)] = (await Table.UpsertRow(entry))!;
            }
        }

        var all = await WholeRingOfThisTest();

        Assert.Equal(expected.Count, all.Count);
        Assert.All(all, row => Assert.Equal(expected[(row.GrainId, row.ReminderName)], row.ETag));
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_reminders_whose_grain_hash_is_in_the_range_wrap_around_included()
    {
        const int grains = 120;
        for (var i = 0; i < grains; i++)
        {
            await Table.UpsertRow(Entry("consolidate", $"tenant/user-{i}"));
            if (i % 3 == 0)
            {
                await Table.UpsertRow(Entry("forget", $"tenant/user-{i}"));
            }
        }

        var whole = await WholeRingOfThisTest();
        Assert.Equal(grains + (grains / 3), whole.Count);
        var hashes = whole.Select(row => row.GrainId.GetUniformHashCode()).Distinct().Order().ToArray();

        var ranges = new List<(uint Begin, uint End)>
        {
            (0, uint.MaxValue),                        // everything but hash 0
            (uint.MaxValue, 0),                        // wraps: only hash 0
            (uint.MaxValue / 2, uint.MaxValue / 2),    // begin == end: the whole ring
            (uint.MaxValue / 4 * 3, uint.MaxValue / 4), // wraps over the top, a half of the ring
            (uint.MaxValue / 4, uint.MaxValue / 4 * 3), // the other half
            (hashes[10] - 1, hashes[10]),              // exactly one grain: end is inclusive
            (hashes[10], hashes[11] - 1),              // begin is exclusive: that grain is out
            (hashes[^1], hashes[0]),                   // wraps from the highest hash to the lowest: only the lowest
        };
        var random = new Random(20261203);
        for (var i = 0; i < 20; i++)
        {
            ranges.Add(((uint)random.NextInt64(0, 1L << 32), (uint)random.NextInt64(0, 1L << 32)));
        }

        foreach (var (begin, end) in ranges)
        {
            var expected = whole.Where(row => InRange(row.GrainId.GetUniformHashCode(), begin, end)).Select(Identity).Order(StringComparer.Ordinal).ToList();
            var actual = (await Table.ReadRows(begin, end)).Reminders.Where(row => Scope.Owns(row.GrainId)).Select(Identity).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"range ({begin}, {end}]: expected {expected.Count} reminders, got {actual.Count}");
        }
    }

    [Fact]
    public async Task A_range_holding_no_grain_hash_returns_no_rows()
    {
        for (var i = 0; i < 20; i++)
        {
            await Table.UpsertRow(Entry("consolidate", $"tenant/user-{i}"));
        }

        var hashes = (await WholeRingOfThisTest()).Select(row => row.GrainId.GetUniformHashCode()).Distinct().Order().ToArray();
        var gap = Enumerable.Range(0, hashes.Length - 1).First(i => hashes[i + 1] - hashes[i] > 1);

        // (h[i], h[i+1] - 1]: between two neighbouring hashes, neither included.
        Assert.DoesNotContain((await Table.ReadRows(hashes[gap], hashes[gap + 1] - 1)).Reminders, row => Scope.Owns(row.GrainId));
        Assert.Single((await Table.ReadRows(hashes[gap], hashes[gap + 1])).Reminders, row => Scope.Owns(row.GrainId));
    }

    [Fact]
    public async Task Test_only_clear_table_removes_every_reminder()
    {
        await Table.UpsertRow(Entry("a"));
        await Table.UpsertRow(Entry("b", "other"));

        await Table.TestOnlyClearTable();

        Assert.Empty(await WholeRingOfThisTest());
        Assert.Null(await Table.ReadRow(Scope.Grain(), "a"));
    }

    [Fact]
    public async Task Concurrent_upserts_of_different_reminders_all_land()
    {
        const int reminders = 100;

        var eTags = await Task.WhenAll(Enumerable.Range(0, reminders).Select(i => Task.Run(() => Table.UpsertRow(Entry($"r{i}", $"grain-{i % 7}")))));

        Assert.Equal(reminders, eTags.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(reminders, (await WholeRingOfThisTest()).Count);
    }

    [Fact]
    public async Task Concurrent_removes_with_the_same_etag_succeed_exactly_once()
    {
        var eTag = await Table.UpsertRow(Entry());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var removes = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => { await gate.Task; return await Table.RemoveRow(Scope.Grain(), "tick", eTag!); })).ToArray();
        gate.SetResult();

        Assert.Single(await Task.WhenAll(removes), removed => removed);
    }

    [Fact]
    public async Task Invalid_entries_are_rejected_with_an_argument_error_and_change_nothing()
    {
        if (Differences.HasFlag(ReminderTableDifferences.NoArgumentValidation))
        {
            // The reminder service never passes these; a table that does not check them stores them as given.
            var eTag = await Table.UpsertRow(Entry(name: ""));
            Assert.Equal(eTag, (await Table.ReadRow(Scope.Grain(), ""))?.ETag);
            return;
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRow(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRow(Entry(name: "")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRow(Entry(period: TimeSpan.FromSeconds(-1))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRow(new ReminderEntry { GrainId = default, ReminderName = "tick", StartAt = Start, Period = TimeSpan.FromMinutes(1) }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.ReadRows(default(GrainId)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.ReadRow(Scope.Grain(), ""));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRow(Entry(name: "lone \ud83e")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRow(Entry(grainKey: "nul\0")));

        Assert.Empty(await WholeRingOfThisTest());
    }

    private static string Identity(ReminderEntry row) => $"{row.GrainId}|{row.ReminderName}|{row.ETag}";
}
