using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Conformance;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>
/// The group-commit writer: coalescing, per-write outcomes inside one transaction, cancellation, stop and
/// several providers on one file. A long linger (<see cref="SqliteStorageOptions.MaxBatchDelay"/>) makes batch
/// boundaries deterministic: the writer waits until the batch is full, or until stop, before committing.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly TimeSpan LongLinger = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GrainId Grain(int i) => GrainId.Create("memory-node", $"tenant/user/{i}");

    private static ReminderEntry Reminder(int i) => new() { GrainId = GrainId.Create("g", $"k{i}"), ReminderName = "r", StartAt = DateTime.UnixEpoch, Period = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task Concurrent_writes_are_coalesced_into_one_transaction_when_they_fill_a_batch()
    {
        const int writes = 64;
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options =>
        {
            options.MaxBatchSize = writes;
            options.MaxBatchDelay = LongLinger;
        });

        await Task.WhenAll(Enumerable.Range(0, writes).Select(i => storage.WriteAsync(Grain(i), $"v{i}", null)));

        Assert.Equal(new GroupCommitStatistics(1, writes, writes), storage.Statistics);
    }

    [Fact]
    public async Task Batches_never_exceed_the_maximum_size()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options =>
        {
            options.MaxBatchSize = 10;
            options.MaxBatchDelay = LongLinger;
        });

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => storage.WriteAsync(Grain(i), $"v{i}", null)));

        Assert.Equal(new GroupCommitStatistics(3, 30, 10), storage.Statistics);
    }

    [Fact]
    public async Task Conflicts_inside_one_batch_fail_only_their_own_writes()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options =>
        {
            options.MaxBatchSize = 6;
            options.MaxBatchDelay = LongLinger;
        });
        var setup = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => storage.WriteAsync(Grain(i), "initial", null)));

        // One batch of six: two fresh writes, two conflicts, a clear, and a second write to grain 0 in the same batch.
        var batch = new Task[]
        {
            storage.WriteAsync(Grain(0), "winner", setup[0]),
            storage.WriteAsync(Grain(0), "same version again", setup[0]),
            storage.WriteAsync(Grain(1), "stale: the etag of grain 0", setup[0]),
            storage.ClearAsync(Grain(2), setup[2]),
            storage.WriteAsync(Grain(3), "insert over existing", null),
            storage.WriteAsync(Grain(4), "updated", setup[4]),
        };
        await Task.WhenAll(batch.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(2, storage.Statistics.Transactions);
        Assert.True(batch[0].IsCompletedSuccessfully);
        Assert.IsType<InconsistentStateException>(batch[1].Exception?.InnerException);
        Assert.IsType<InconsistentStateException>(batch[2].Exception?.InnerException);
        Assert.True(batch[3].IsCompletedSuccessfully);
        Assert.IsType<InconsistentStateException>(batch[4].Exception?.InnerException);
        Assert.True(batch[5].IsCompletedSuccessfully);

        Assert.Equal("winner", await storage.ReadTextAsync(Grain(0)));
        Assert.Equal("initial", await storage.ReadTextAsync(Grain(1)));
        Assert.Null(await storage.ReadTextAsync(Grain(2)));
        Assert.Equal("initial", await storage.ReadTextAsync(Grain(3)));
        Assert.Equal("updated", await storage.ReadTextAsync(Grain(4)));
    }

    [Fact]
    public async Task Stop_commits_the_writes_already_queued()
    {
        var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options => options.MaxBatchDelay = LongLinger);
        var queued = Enumerable.Range(0, 20).Select(i => storage.WriteAsync(Grain(i), $"v{i}", null)).ToArray();

        // The writer is lingering for more writes; stop must cut the linger short and commit, not drop them.
        await storage.StopAsync();

        // Each write's own completion may run a moment after the stop on a loaded machine; none may fail.
        await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(30));
        await using var reopened = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"v{i}", await reopened.ReadTextAsync(Grain(i)));
        }
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_never_applied_and_others_in_the_queue_are()
    {
        var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options => options.MaxBatchDelay = LongLinger);
        using var cancellation = new CancellationTokenSource();
        var kept = storage.WriteAsync(Grain(1), "kept", null);
        var cancelled = storage.WriteAsync(Grain(2), "cancelled", null, cancellationToken: cancellation.Token);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await storage.StopAsync();

        await kept;
        await using var reopened = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        Assert.Equal("kept", await reopened.ReadTextAsync(Grain(1)));
        Assert.Null(await reopened.ReadTextAsync(Grain(2)));
    }

    [Fact]
    public async Task Calls_before_start_fail_as_not_started_and_open_nothing()
    {
        await using var storage = SqliteTestStores.Storage(_directory.Path);
        await using var reminders = SqliteTestStores.Reminders(_directory.Path);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteAsync(Grain(1), "early", null));
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync(Grain(1)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reminders.ReadRows(0u, 0u));

        Assert.Contains("StartAsync", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory.Path, "helamem.db")));
    }

    [Fact]
    public async Task Calls_after_stop_fail_with_object_disposed_and_stop_twice_is_harmless()
    {
        var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        var reminders = await SqliteTestStores.StartedRemindersAsync(_directory.Path);
        await storage.StopAsync();
        await reminders.StopAsync();
        await storage.DisposeAsync();
        await reminders.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync(Grain(1), "late", null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ClearAsync(Grain(1), null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ReadAsync(Grain(1)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.StartAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => reminders.ReadRows(0u, 0u));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => reminders.UpsertRow(Reminder(1)));
    }

    [Fact]
    public async Task Calls_racing_stop_either_complete_durably_or_fail_as_disposed_and_none_hangs()
    {
        var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options => options.ReadConnections = 2);
        var reminders = await SqliteTestStores.StartedRemindersAsync(_directory.Path);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = Enumerable.Range(0, 200).Select(i => Task.Run(async () => { await gate.Task; return await storage.WriteAsync(Grain(i), $"v{i}", null); })).ToArray();
        var reads = Enumerable.Range(0, 50).Select(i => Task.Run(async () => { await gate.Task; return await storage.ReadAsync(Grain(i)); })).ToArray();
        var reminderCalls = Enumerable.Range(0, 50).Select(i => Task.Run(async () => { await gate.Task; return await reminders.UpsertRow(Reminder(i)); })).ToArray();

        gate.SetResult();
        await Task.WhenAll(storage.StopAsync(), reminders.StopAsync());

        // A generous safety net that turns a hang into a failure; it is not a speed assertion.
        Task[] all = [.. writes, .. reads, .. reminderCalls];
        await Task.WhenAll(all.Select(call => call.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(all, call => Assert.True(call.IsCompletedSuccessfully || call.Exception?.InnerException is ObjectDisposedException, call.Exception?.ToString()));

        await using var reopened = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        for (var i = 0; i < writes.Length; i++)
        {
            var stored = await reopened.ReadAsync(Grain(i));
            Assert.Equal(writes[i].IsCompletedSuccessfully, stored.RecordExists);
            Assert.Equal(writes[i].IsCompletedSuccessfully ? await writes[i] : null, stored.ETag);
        }
    }

    [Fact]
    public async Task Back_pressure_with_a_tiny_queue_still_completes_every_write()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options =>
        {
            options.MaxPendingWrites = 2;
            options.ReadConnections = 1;
        });

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => storage.WriteAsync(Grain(i), $"v{i}", null))));

        Assert.Equal(100, storage.Statistics.Operations);
        Assert.True(storage.Statistics.LargestBatch <= 2);
        var reads = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => storage.ReadTextAsync(Grain(i)))));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"v{i}"), reads);
    }

    [Fact]
    public async Task Two_providers_on_one_file_share_etags_and_see_each_others_conflicts()
    {
        // As two silos in one process (the in-process test cluster) use the same database.
        await using var first = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        await using var second = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        await using var reminders = await SqliteTestStores.StartedRemindersAsync(_directory.Path);

        var eTag = await first.WriteAsync(Grain(1), "from first", null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => second.WriteAsync(Grain(1), "blind", null));
        var next = await second.WriteAsync(Grain(1), "from second", eTag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => first.WriteAsync(Grain(1), "stale", eTag));
        var reminderETag = await reminders.UpsertRow(Reminder(1));

        Assert.Equal("from second", await first.ReadTextAsync(Grain(1)));
        Assert.Equal(3, new[] { eTag, next, reminderETag }.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_writers_on_two_providers_over_one_file_all_succeed()
    {
        await using var first = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        await using var second = await SqliteTestStores.StartedStorageAsync(_directory.Path);

        var eTags = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).WriteAsync(Grain(i), $"v{i}", null))));

        Assert.Equal(200, eTags.Distinct().Count());
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"v{i}", await (i % 2 == 0 ? second : first).ReadTextAsync(Grain(i)));
        }
    }
}
