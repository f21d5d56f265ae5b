using HelaMem.Tests.Servers;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// One PostgreSQL server for the silo tests of this assembly (started on first use, stopped when the test process
/// exits). Each test creates a database of its own on it, so silos of different tests never share state.
/// </summary>
internal static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync);
    private static int _databases;

    /// <summary>A connection string to a new, empty database on the shared server.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var server = await Server.Value;
        var database = $"silo_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await server.CreateDatabaseAsync(database);
        return server.ConnectionString(database);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var server = await PostgresServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
