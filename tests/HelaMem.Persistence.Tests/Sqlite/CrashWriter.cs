using System.Text;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime;
using HelaMem.Runtime.Reminders;
using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>
/// The child process of the crash test: writes <c>count</c> keys concurrently (so they go through group commit)
/// and a reminder, prints <see cref="AckedLine"/> once every write has been acknowledged, then keeps writing
/// until it is killed. It never disposes the providers: the kill finds the WAL open and unchecked-pointed.
/// </summary>
public static class CrashWriter
{
    public const string Command = "crash-writer";
    public const string AckedLine = "acked";

    public static GrainStateKey Key(int i) => new("crash-test", $"tenant/user/node-{i}", "state");

    public static string Payload(int i) => $"acknowledged payload {i}";

    public static readonly GrainId ReminderGrain = new("crash-test", "tenant/user");

    public static async Task<int> RunAsync(string directory, int count, SqliteSynchronousMode synchronous)
    {
        var storage = SqliteTestStores.Storage(directory, options => options.Synchronous = synchronous);
        var reminders = SqliteTestStores.Reminders(directory, options => options.Synchronous = synchronous);

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => storage.WriteAsync(Key(i), Encoding.UTF8.GetBytes(Payload(i)), null)));
        await reminders.UpsertRowAsync(new ReminderEntry(ReminderGrain, "consolidate", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), null));

        await Console.Out.WriteLineAsync(AckedLine);
        await Console.Out.FlushAsync();

        // Unacknowledged traffic while the parent kills this process: it may or may not land, but must not damage
        // what was acknowledged.
        for (var i = 0; ; i++)
        {
            await storage.WriteAsync(new GrainStateKey("crash-test", $"after-ack-{i}", "state"), Encoding.UTF8.GetBytes(new string('x', 4096)), null);
        }
    }
}
