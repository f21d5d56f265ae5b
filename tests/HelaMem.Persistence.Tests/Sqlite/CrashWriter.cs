using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Conformance;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>
/// The child process of the crash test: writes <c>count</c> grain states concurrently (so they go through group
/// commit) and a reminder, prints <see cref="AckedLine"/> once every write has been acknowledged, then keeps
/// writing until it is killed. It never stops the providers: the kill finds the WAL open and not checkpointed.
/// </summary>
public static class CrashWriter
{
    public const string Command = "crash-writer";
    public const string AckedLine = "acked";

    public static GrainId Grain(int i) => GrainId.Create("crash-test", $"tenant/user/node-{i}");

    public static string Text(int i) => $"acknowledged state {i}";

    public static readonly GrainId ReminderGrain = GrainId.Create("crash-test", "tenant/user");

    public static async Task<int> RunAsync(string directory, int count, SqliteSynchronousMode synchronous)
    {
        var storage = await SqliteTestStores.StartedStorageAsync(directory, options => options.Synchronous = synchronous);
        var reminders = await SqliteTestStores.StartedRemindersAsync(directory, options => options.Synchronous = synchronous);

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => storage.WriteAsync(Grain(i), Text(i), null)));
        await reminders.UpsertRow(new ReminderEntry { GrainId = ReminderGrain, ReminderName = "consolidate", StartAt = DateTime.UnixEpoch, Period = TimeSpan.FromMinutes(1) });

        await Console.Out.WriteLineAsync(AckedLine);
        await Console.Out.FlushAsync();

        // Unacknowledged traffic while the parent kills this process: it may or may not land, but must not damage
        // what was acknowledged.
        for (var i = 0; ; i++)
        {
            await storage.WriteAsync(GrainId.Create("crash-test", $"after-ack-{i}"), new string('x', 4096), null);
        }
    }
}
