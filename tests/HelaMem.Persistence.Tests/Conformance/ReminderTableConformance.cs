using HelaMem.Runtime;
using HelaMem.Runtime.Reminders;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// The contract every <see cref="IReminderTable"/> must meet. A provider joins with one subclass creating a
/// fresh table per test (xunit makes one instance of the subclass per test).
/// </summary>
public abstract class ReminderTableConformance : IAsyncLifetime
{
    // Whole milliseconds: every provider must keep at least millisecond precision (PostgreSQL keeps microseconds).
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 30, 15, 250, TimeSpan.Zero);

    private IReminderTable? _table;

    protected ConformanceScope Scope { get; } = new();

    protected IReminderTable Table => _table ?? throw new InvalidOperationException("The table is created in InitializeAsync.");

    /// <summary>Creates the table under test.</summary>
    protected abstract Task<IReminderTable> CreateTableAsync();

    /// <summary>Releases what <see cref="CreateTableAsync"/> created beyond the table (e.g. a temp directory).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _table = await CreateTableAsync();

    public async Task DisposeAsync()
    {
        if (_table is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await CleanupAsync();
    }

    protected ReminderEntry Entry(string name = "tick", string grainKey = "key", TimeSpan? period = null, DateTimeOffset? startAt = null) =>
        new(Scope.Grain(grainKey), name, startAt ?? Start, period ?? TimeSpan.FromMinutes(5), ETag: null);

    private async Task<IReadOnlyList<ReminderEntry>> ReadAllOfThisTest() =>
        [.. (await Table.ReadAllAsync()).Where(row => Scope.Owns(row.GrainId))];

    [Fact]
    public async Task Reading_a_missing_reminder_returns_null_and_no_rows()
    {
        Assert.Null(await Table.ReadRowAsync(Scope.Grain(), "nothing"));
        Assert.Empty(await Table.ReadRowsAsync(Scope.Grain()));
        Assert.Empty(await ReadAllOfThisTest());
    }

    [Fact]
    public async Task Upsert_stores_every_field_and_returns_the_etag_a_read_sees()
    {
        var entry = Entry(period: TimeSpan.FromSeconds(90.5));

        var eTag = await Table.UpsertRowAsync(entry);

        var stored = await Table.ReadRowAsync(entry.GrainId, entry.ReminderName);
        Assert.False(string.IsNullOrEmpty(eTag));
        Assert.Equal(entry with { ETag = eTag }, stored);
    }

    [Fact]
    public async Task Start_time_is_kept_as_the_same_instant_whatever_the_offset()
    {
        var entry = Entry(startAt: Start.ToOffset(TimeSpan.FromHours(5.5)));

        await Table.UpsertRowAsync(entry);

        var stored = await Table.ReadRowAsync(entry.GrainId, entry.ReminderName);
        Assert.NotNull(stored);
        Assert.Equal(Start.UtcDateTime, stored.StartAt.UtcDateTime);
    }

    [Fact]
    public async Task Upsert_of_an_existing_reminder_replaces_it_with_a_new_etag()
    {
        var first = await Table.UpsertRowAsync(Entry(period: TimeSpan.FromMinutes(1)));

        var second = await Table.UpsertRowAsync(Entry(period: TimeSpan.FromMinutes(2), startAt: Start.AddHours(1)));

        Assert.NotEqual(first, second);
        var stored = await Table.ReadRowAsync(Scope.Grain(), "tick");
        Assert.NotNull(stored);
        Assert.Equal(second, stored.ETag);
        Assert.Equal(TimeSpan.FromMinutes(2), stored.Period);
        Assert.Equal(Start.AddHours(1), stored.StartAt);
        Assert.Single(await Table.ReadRowsAsync(Scope.Grain()));
    }

    [Fact]
    public async Task Remove_with_the_current_etag_deletes_the_row()
    {
        var eTag = await Table.UpsertRowAsync(Entry());

        Assert.True(await Table.RemoveRowAsync(Scope.Grain(), "tick", eTag));

        Assert.Null(await Table.ReadRowAsync(Scope.Grain(), "tick"));
    }

    [Fact]
    public async Task Remove_with_a_stale_etag_returns_false_and_keeps_the_row()
    {
        var stale = await Table.UpsertRowAsync(Entry(period: TimeSpan.FromMinutes(1)));
        var current = await Table.UpsertRowAsync(Entry(period: TimeSpan.FromMinutes(2)));

        Assert.False(await Table.RemoveRowAsync(Scope.Grain(), "tick", stale));
        Assert.False(await Table.RemoveRowAsync(Scope.Grain(), "tick", "never-issued"));

        var stored = await Table.ReadRowAsync(Scope.Grain(), "tick");
        Assert.NotNull(stored);
        Assert.Equal(current, stored.ETag);
    }

    [Fact]
    public async Task Remove_of_a_missing_reminder_returns_false()
    {
        var eTag = await Table.UpsertRowAsync(Entry(name: "other"));

        Assert.False(await Table.RemoveRowAsync(Scope.Grain(), "tick", eTag));
        Assert.NotNull(await Table.ReadRowAsync(Scope.Grain(), "other"));
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
                eTag = await Table.UpsertRowAsync(Entry(period: TimeSpan.FromMinutes(upsert + 1)));
                seen.Add(eTag);
            }

            Assert.True(await Table.RemoveRowAsync(Scope.Grain(), "tick", eTag!));
        }

        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task An_etag_from_before_a_remove_cannot_remove_the_recreated_row()
    {
        var old = await Table.UpsertRowAsync(Entry());
        Assert.True(await Table.RemoveRowAsync(Scope.Grain(), "tick", old));
        await Table.UpsertRowAsync(Entry());

        Assert.False(await Table.RemoveRowAsync(Scope.Grain(), "tick", old));
        Assert.NotNull(await Table.ReadRowAsync(Scope.Grain(), "tick"));
    }

    [Fact]
    public async Task Read_rows_returns_exactly_the_reminders_of_one_grain()
    {
        await Table.UpsertRowAsync(Entry("a", "tenant/user"));
        await Table.UpsertRowAsync(Entry("b", "tenant/user"));
        await Table.UpsertRowAsync(Entry("a", "tenant/user/node"));
        await Table.UpsertRowAsync(Entry("a", "tenant"));
        await Table.UpsertRowAsync(new ReminderEntry(Scope.Grain("tenant/user", grainType: "other"), "a", Start, TimeSpan.FromMinutes(1), null));

        var rows = await Table.ReadRowsAsync(Scope.Grain("tenant/user"));

        Assert.Equal(["a", "b"], rows.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.All(rows, row => Assert.Equal(Scope.Grain("tenant/user"), row.GrainId));
    }

    [Fact]
    public async Task Read_all_returns_every_reminder_with_its_current_etag()
    {
        var expected = new Dictionary<(GrainId, string), string>();
        foreach (var grain in new[] { "g1", "g2", "\u7528\u6237/\U0001F9E0" })
        {
            foreach (var name in new[] { "consolidate", "forget" })
            {
                var entry = Entry(name, grain);
                expected[(entry.GrainId, name)] = await Table.UpsertRowAsync(entry);
            }
        }

        var all = await ReadAllOfThisTest();

        Assert.Equal(expected.Count, all.Count);
        Assert.All(all, row => Assert.Equal(expected[(row.GrainId, row.ReminderName)], row.ETag));
    }

    [Fact]
    public async Task Concurrent_upserts_of_different_reminders_all_land()
    {
        const int reminders = 100;

        var eTags = await Task.WhenAll(Enumerable.Range(0, reminders).Select(i => Task.Run(() => Table.UpsertRowAsync(Entry($"r{i}", $"grain-{i % 7}")))));

        Assert.Equal(reminders, eTags.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(reminders, (await ReadAllOfThisTest()).Count);
    }

    [Fact]
    public async Task Concurrent_removes_with_the_same_etag_succeed_exactly_once()
    {
        var eTag = await Table.UpsertRowAsync(Entry());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var removes = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => { await gate.Task; return await Table.RemoveRowAsync(Scope.Grain(), "tick", eTag); })).ToArray();
        gate.SetResult();

        Assert.Single(await Task.WhenAll(removes), removed => removed);
    }

    [Fact]
    public async Task Invalid_entries_are_rejected_with_an_argument_error_and_change_nothing()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRowAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRowAsync(Entry(name: "")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRowAsync(Entry(period: TimeSpan.FromSeconds(-1))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRowAsync(new ReminderEntry(new GrainId("", "k"), "tick", Start, TimeSpan.FromMinutes(1), null)));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.ReadRowsAsync(new GrainId("", "k")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.ReadRowAsync(Scope.Grain(), ""));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRowAsync(Entry(name: "lone \ud83e")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.UpsertRowAsync(Entry(grainKey: "nul\0")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Table.ReadRowsAsync(Scope.Grain("lone \udde0")));

        Assert.Empty(await ReadAllOfThisTest());
    }
}
