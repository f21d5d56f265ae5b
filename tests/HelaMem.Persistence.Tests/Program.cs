using HelaMem.Persistence.Tests.Sqlite;

namespace HelaMem.Persistence.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test starts this assembly as a child process
/// (<c>dotnet exec HelaMem.Persistence.Tests.dll crash-writer ...</c>); the test runner never calls it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [CrashWriter.Command, var directory, var count, var synchronous])
        {
            return await CrashWriter.RunAsync(directory, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), Enum.Parse<Persistence.Sqlite.SqliteSynchronousMode>(synchronous));
        }

        await Console.Error.WriteLineAsync($"usage: {CrashWriter.Command} <data directory> <key count> <Full|Normal>");
        return 2;
    }
}
