using System.Diagnostics;
using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Conformance;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>What survives: a clean stop and start of the providers, and a SIGKILL of a process right after it was acknowledged.</summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task State_and_etags_survive_stopping_and_starting_the_provider()
    {
        var eTags = new Dictionary<GrainId, string>();
        var cleared = GrainId.Create("memory-node", "tenant/user/gone");
        await using (var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path))
        {
            foreach (var i in Enumerable.Range(0, 50))
            {
                var grain = GrainId.Create("memory-node", $"tenant/user/{i}");
                eTags[grain] = await storage.WriteAsync(grain, $"state {i}", null);
            }

            await storage.ClearAsync(cleared, await storage.WriteAsync(cleared, "short-lived", null));
        }

        await using (var reopened = await SqliteTestStores.StartedStorageAsync(_directory.Path))
        {
            foreach (var (grain, eTag) in eTags)
            {
                var stored = await reopened.ReadAsync(grain);
                Assert.True(stored.RecordExists);
                Assert.Equal(eTag, stored.ETag);
                Assert.Equal($"state {grain.Key.ToString()!["tenant/user/".Length..]}", stored.State!.Text);
            }

            Assert.False((await reopened.ReadAsync(cleared)).RecordExists);

            // The ETags read before the restart still work, and new ones do not repeat old ones.
            var (firstGrain, firstETag) = eTags.First();
            var next = await reopened.WriteAsync(firstGrain, "after restart", firstETag);
            Assert.DoesNotContain(next, eTags.Values);
        }
    }

    [Fact]
    public async Task Reminders_survive_stopping_and_starting_the_table()
    {
        var grain = GrainId.Create("consolidation", "tenant/user");
        var startAt = new DateTime(2026, 11, 21, 8, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        string? eTag;
        await using (var table = await SqliteTestStores.StartedRemindersAsync(_directory.Path))
        {
            eTag = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "consolidate", StartAt = startAt, Period = TimeSpan.FromHours(1) });
        }

        await using var reopened = await SqliteTestStores.StartedRemindersAsync(_directory.Path);
        var stored = await reopened.ReadRow(grain, "consolidate");
        Assert.NotNull(stored);
        // SQLite keeps ticks, so even sub-millisecond start times come back exactly.
        Assert.Equal(startAt, stored.StartAt);
        Assert.Equal(TimeSpan.FromHours(1), stored.Period);
        Assert.Equal(eTag, stored.ETag);
        Assert.Single((await reopened.ReadRows(grain.GetUniformHashCode() - 1, grain.GetUniformHashCode())).Reminders);
        Assert.True(await reopened.RemoveRow(grain, "consolidate", eTag!));
    }

    [Theory]
    [InlineData(SqliteSynchronousMode.Full)]
    [InlineData(SqliteSynchronousMode.Normal)]
    public async Task Writes_acknowledged_before_a_sigkill_are_all_there_after_reopening(SqliteSynchronousMode synchronous)
    {
        const int count = 400;
        var child = StartCrashWriter(count, synchronous);
        try
        {
            var line = await ReadLineAsync(child, TimeSpan.FromSeconds(60));
            Assert.True(line == CrashWriter.AckedLine, $"the crash writer did not acknowledge; it said '{line}' and wrote to stderr: {await ReadErrorsAsync(child)}");

            // SIGKILL on Unix: no finalizers, no dispose, no checkpoint.
            child.Kill();
            await child.WaitForExitAsync();
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            child.Dispose();
        }

        // The acknowledged rows were still in the write-ahead log when the process died; opening recovers them.
        Assert.True(File.Exists(Path.Combine(_directory.Path, "helamem.db-wal")), "the killed process left no WAL behind");
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        for (var i = 0; i < count; i++)
        {
            var stored = await storage.ReadAsync(CrashWriter.Grain(i));
            Assert.True(stored.RecordExists, $"acknowledged write {i} of {count} was lost in the crash");
            Assert.Equal(CrashWriter.Text(i), stored.State!.Text);
        }

        await using var reminders = await SqliteTestStores.StartedRemindersAsync(_directory.Path);
        Assert.NotNull(await reminders.ReadRow(CrashWriter.ReminderGrain, "consolidate"));
    }

    private Process StartCrashWriter(int count, SqliteSynchronousMode synchronous)
    {
        // The SDK's test runner exports the dotnet host it runs on; outside it, dotnet must be on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", typeof(CrashWriter).Assembly.Location, CrashWriter.Command, _directory.Path, count.ToString(System.Globalization.CultureInfo.InvariantCulture), synchronous.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dotnet}.");
    }

    private static async Task<string?> ReadLineAsync(Process child, TimeSpan timeout)
    {
        // A safety net against a hung child only; the child normally answers in about a second.
        using var cancellation = new CancellationTokenSource(timeout);
        return await child.StandardOutput.ReadLineAsync(cancellation.Token);
    }

    private static async Task<string> ReadErrorsAsync(Process child)
    {
        if (!child.HasExited)
        {
            child.Kill();
        }

        return await child.StandardError.ReadToEndAsync();
    }
}
