using System.Text;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime;
using HelaMem.Runtime.Reminders;
using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>
/// The group-commit writer: coalescing, per-write outcomes inside one transaction, cancellation, dispose and
/// several providers on one file. A long linger (<see cref="SqliteStorageOptions.MaxBatchDelay"/>) makes batch
/// boundaries deterministic: the writer waits until the batch is full, or until dispose, before committing.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly TimeSpan LongLinger = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GrainStateKey Key(int i) => new("node", $"tenant/user/{i}", "state");

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Concurrent_writes_are_coalesced_into_one_transaction_when_they_fill_a_batch()
    {
        const int writes = 64;
        await using var storage = SqliteTestStores.Storage(_directory.Path, options =>
        {
            options.MaxBatchSize = writes;
            options.MaxBatchDelay = LongLinger;
        });

        await Task.WhenAll(Enumerable.Range(0, writes).Select(i => storage.WriteAsync(Key(i), Bytes($"v{i}"), null)));

        Assert.Equal(new GroupCommitStatistics(1, writes, writes), storage.Statistics);
    }

    [Fact]
    public async Task Batches_never_exceed_the_maximum_size()
    {
        await using var storage = SqliteTestStores.Storage(_directory.Path, options =>
        {
            options.MaxBatchSize = 10;
            options.MaxBatchDelay = LongLinger;
        });

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => storage.WriteAsync(Key(i), Bytes($"v{i}"), null)));

        Assert.Equal(new GroupCommitStatistics(3, 30, 10), storage.Statistics);
    }

    [Fact]
    public async Task Conflicts_inside_one_batch_fail_only_their_own_writes()
    {
        await using var storage = SqliteTestStores.Storage(_directory.Path, options =>
        {
            options.MaxBatchSize = 6;
            options.MaxBatchDelay = LongLinger;
        });
        var setup = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => storage.WriteAsync(Key(i), Bytes("initial"), null)));

        // One batch of six: two fresh writes, two conflicts, a clear, and a second write to key 0 in the same batch.
        var batch = new Task[]
        {
            storage.WriteAsync(Key(0), Bytes("winner"), setup[0]),
            storage.WriteAsync(Key(0), Bytes("same version again"), setup[0]),
            storage.WriteAsync(Key(1), Bytes("stale: the etag of key 0"), setup[0]),
            storage.ClearAsync(Key(2), setup[2]),
            storage.WriteAsync(Key(3), Bytes("insert over existing"), null),
            storage.WriteAsync(Key(4), Bytes("updated"), setup[4]),
        };
        await Task.WhenAll(batch.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(2, storage.Statistics.Transactions);
        Assert.True(batch[0].IsCompletedSuccessfully);
        Assert.IsType<InconsistentStateException>(batch[1].Exception?.InnerException);
        Assert.IsType<InconsistentStateException>(batch[2].Exception?.InnerException);
        Assert.True(batch[3].IsCompletedSuccessfully);
        Assert.IsType<InconsistentStateException>(batch[4].Exception?.InnerException);
        Assert.True(batch[5].IsCompletedSuccessfully);

        Assert.Equal("winner", await ReadText(storage, Key(0)));
        Assert.Equal("initial", await ReadText(storage, Key(1)));
        Assert.Null(await storage.ReadAsync(Key(2)));
        Assert.Equal("initial", await ReadText(storage, Key(3)));
        Assert.Equal("updated", await ReadText(storage, Key(4)));
    }

    [Fact]
    public async Task Dispose_commits_the_writes_already_queued()
    {
        var storage = SqliteTestStores.Storage(_directory.Path, options => options.MaxBatchDelay = LongLinger);
        var queued = Enumerable.Range(0, 20).Select(i => storage.WriteAsync(Key(i), Bytes($"v{i}"), null)).ToArray();

        // The writer is lingering for more writes; dispose must cut the linger short and commit, not drop them.
        await storage.DisposeAsync();

        Assert.All(queued, write => Assert.True(write.IsCompletedSuccessfully));
        await using var reopened = SqliteTestStores.Storage(_directory.Path);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"v{i}", await ReadText(reopened, Key(i)));
        }
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_never_applied_and_others_in_the_queue_are()
    {
        var storage = SqliteTestStores.Storage(_directory.Path, options => options.MaxBatchDelay = LongLinger);
        using var cancellation = new CancellationTokenSource();
        var kept = storage.WriteAsync(Key(1), Bytes("kept"), null);
        var cancelled = storage.WriteAsync(Key(2), Bytes("cancelled"), null, cancellation.Token);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await storage.DisposeAsync();

        await kept;
        await using var reopened = SqliteTestStores.Storage(_directory.Path);
        Assert.Equal("kept", await ReadText(reopened, Key(1)));
        Assert.Null(await reopened.ReadAsync(Key(2)));
    }

    [Fact]
    public async Task Calls_after_dispose_fail_with_object_disposed()
    {
        var storage = SqliteTestStores.Storage(_directory.Path);
        var reminders = SqliteTestStores.Reminders(_directory.Path);
        await storage.DisposeAsync();
        await reminders.DisposeAsync();
        await storage.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync(Key(1), Bytes("late"), null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ClearAsync(Key(1), null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.ReadAsync(Key(1)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => reminders.ReadAllAsync());
    }

    [Fact]
    public async Task Calls_racing_dispose_either_complete_durably_or_fail_as_disposed_and_none_hangs()
    {
        var storage = SqliteTestStores.Storage(_directory.Path, options => options.ReadConnections = 2);
        var reminders = SqliteTestStores.Reminders(_directory.Path);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writes = Enumerable.Range(0, 200).Select(i => Task.Run(async () => { await gate.Task; return await storage.WriteAsync(Key(i), Bytes($"v{i}"), null); })).ToArray();
        var reads = Enumerable.Range(0, 50).Select(i => Task.Run(async () => { await gate.Task; return await storage.ReadAsync(Key(i)); })).ToArray();
        var reminderCalls = Enumerable.Range(0, 50).Select(i => Task.Run(async () => { await gate.Task; return await reminders.UpsertRowAsync(new ReminderEntry(new GrainId("g", $"k{i}"), "r", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), null)); })).ToArray();

        gate.SetResult();
        await Task.WhenAll(storage.DisposeAsync().AsTask(), reminders.DisposeAsync().AsTask());

        // A generous safety net that turns a hang into a failure; it is not a speed assertion.
        Task[] all = [.. writes, .. reads, .. reminderCalls];
        await Task.WhenAll(all.Select(call => call.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(all, call => Assert.True(call.IsCompletedSuccessfully || call.Exception?.InnerException is ObjectDisposedException, call.Exception?.ToString()));

        await using var reopened = SqliteTestStores.Storage(_directory.Path);
        for (var i = 0; i < writes.Length; i++)
        {
            var stored = await reopened.ReadAsync(Key(i));
            Assert.Equal(writes[i].IsCompletedSuccessfully, stored is not null);
            Assert.Equal(writes[i].IsCompletedSuccessfully ? await writes[i] : null, stored?.ETag);
        }
    }

    [Fact]
    public async Task Back_pressure_with_a_tiny_queue_still_completes_every_write()
    {
        await using var storage = SqliteTestStores.Storage(_directory.Path, options =>
        {
            options.MaxPendingWrites = 2;
            options.ReadConnections = 1;
        });

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => storage.WriteAsync(Key(i), Bytes($"v{i}"), null))));

        Assert.Equal(100, storage.Statistics.Operations);
        Assert.True(storage.Statistics.LargestBatch <= 2);
        var reads = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => ReadText(storage, Key(i)))));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"v{i}"), reads);
    }

    [Fact]
    public async Task Two_providers_on_one_file_share_etags_and_see_each_others_conflicts()
    {
        // As two silos (or a silo restarted while the old one drains) would use the same database.
        await using var first = SqliteTestStores.Storage(_directory.Path);
        await using var second = SqliteTestStores.Storage(_directory.Path);
        await using var reminders = SqliteTestStores.Reminders(_directory.Path);

        var eTag = await first.WriteAsync(Key(1), Bytes("from first"), null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => second.WriteAsync(Key(1), Bytes("blind"), null));
        var next = await second.WriteAsync(Key(1), Bytes("from second"), eTag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => first.WriteAsync(Key(1), Bytes("stale"), eTag));
        var reminderETag = await reminders.UpsertRowAsync(new ReminderEntry(new GrainId("g", "k"), "r", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), null));

        Assert.Equal("from second", await ReadText(first, Key(1)));
        Assert.Equal(3, new[] { eTag, next, reminderETag }.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_writers_on_two_providers_over_one_file_all_succeed()
    {
        await using var first = SqliteTestStores.Storage(_directory.Path);
        await using var second = SqliteTestStores.Storage(_directory.Path);

        var eTags = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).WriteAsync(Key(i), Bytes($"v{i}"), null))));

        Assert.Equal(200, eTags.Distinct().Count());
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"v{i}", await ReadText(i % 2 == 0 ? second : first, Key(i)));
        }
    }

    private static async Task<string?> ReadText(SqliteGrainStorage storage, GrainStateKey key) =>
        await storage.ReadAsync(key) is { } stored ? Encoding.UTF8.GetString(stored.Payload.Span) : null;
}
