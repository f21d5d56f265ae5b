using System.Diagnostics;
using System.Text;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime;
using HelaMem.Runtime.Reminders;
using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>What survives: a clean restart of the providers, and a SIGKILL of a process right after it was acknowledged.</summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task State_and_etags_survive_disposing_and_reopening_the_provider()
    {
        var eTags = new Dictionary<GrainStateKey, string>();
        GrainStateKey cleared = new("node", "tenant/user/gone", "state");
        await using (var storage = SqliteTestStores.Storage(_directory.Path))
        {
            foreach (var i in Enumerable.Range(0, 50))
            {
                var key = new GrainStateKey("node", $"tenant/user/{i}", "state");
                eTags[key] = await storage.WriteAsync(key, Encoding.UTF8.GetBytes($"payload {i}"), null);
            }

            await storage.ClearAsync(cleared, await storage.WriteAsync(cleared, Encoding.UTF8.GetBytes("short-lived"), null));
        }

        await using (var reopened = SqliteTestStores.Storage(_directory.Path))
        {
            foreach (var (key, eTag) in eTags)
            {
                var stored = await reopened.ReadAsync(key);
                Assert.NotNull(stored);
                Assert.Equal(eTag, stored.ETag);
                Assert.Equal($"payload {key.GrainKey["tenant/user/".Length..]}", Encoding.UTF8.GetString(stored.Payload.Span));
            }

            Assert.Null(await reopened.ReadAsync(cleared));

            // The ETags read before the restart still work, and new ones do not repeat old ones.
            var (firstKey, firstETag) = eTags.First();
            var next = await reopened.WriteAsync(firstKey, Encoding.UTF8.GetBytes("after restart"), firstETag);
            Assert.DoesNotContain(next, eTags.Values);
        }
    }

    [Fact]
    public async Task Reminders_survive_disposing_and_reopening_the_table()
    {
        var grain = new GrainId("consolidation", "tenant/user");
        var entry = new ReminderEntry(grain, "consolidate", new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero).AddTicks(1234567), TimeSpan.FromHours(1), null);
        string eTag;
        await using (var table = SqliteTestStores.Reminders(_directory.Path))
        {
            eTag = await table.UpsertRowAsync(entry);
        }

        await using var reopened = SqliteTestStores.Reminders(_directory.Path);
        // SQLite keeps ticks, so even sub-millisecond start times come back exactly.
        Assert.Equal(entry with { ETag = eTag }, await reopened.ReadRowAsync(grain, "consolidate"));
        Assert.True(await reopened.RemoveRowAsync(grain, "consolidate", eTag));
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
        await using var storage = SqliteTestStores.Storage(_directory.Path);
        for (var i = 0; i < count; i++)
        {
            var stored = await storage.ReadAsync(CrashWriter.Key(i));
            Assert.True(stored is not null, $"acknowledged write {i} of {count} was lost in the crash");
            Assert.Equal(CrashWriter.Payload(i), Encoding.UTF8.GetString(stored.Payload.Span));
        }

        await using var reminders = SqliteTestStores.Reminders(_directory.Path);
        Assert.NotNull(await reminders.ReadRowAsync(CrashWriter.ReminderGrain, "consolidate"));
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
