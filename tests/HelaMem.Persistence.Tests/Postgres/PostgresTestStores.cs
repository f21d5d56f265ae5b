using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Sqlite;
using HelaMem.Tests.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>Creates PostgreSQL providers on a test server, as a silo would, but started by hand.</summary>
public static class PostgresTestStores
{
    public static PostgresStorageOptions Options(PostgresServer server, Action<PostgresStorageOptions>? configure = null)
    {
        var options = new PostgresStorageOptions
        {
            ConnectionString = server.ConnectionString(),
            // The format the SQLite provider writes, as HelaMem's silo registers it for every provider.
            GrainStorageSerializer = new HelaMemJsonGrainStorageSerializer(),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A service id of its own, so tests sharing the database never see each other's rows.</summary>
    public static string NewServiceId() => $"test-service-{Guid.NewGuid():N}";

    public static PostgresGrainStorage Storage(PostgresServer server, string serviceId, Action<PostgresStorageOptions>? configure = null, string name = "Default") =>
        new(name, Options(server, configure), serviceId, SqliteTestStores.Activators, NullLogger<PostgresGrainStorage>.Instance);

    public static async Task<PostgresGrainStorage> StartedStorageAsync(PostgresServer server, string serviceId, Action<PostgresStorageOptions>? configure = null, string name = "Default")
    {
        var storage = Storage(server, serviceId, configure, name);
        await storage.StartAsync();
        return storage;
    }

    public static async Task<PostgresReminderTable> StartedRemindersAsync(PostgresServer server, string serviceId, Action<PostgresStorageOptions>? configure = null)
    {
        var table = new PostgresReminderTable(Options(server, configure), serviceId, NullLogger<PostgresReminderTable>.Instance);
        await table.StartAsync();
        return table;
    }

    public static PostgresMembershipTable Membership(PostgresServer server, string clusterId, Action<PostgresStorageOptions>? configure = null) =>
        new(Options(server, configure), clusterId, NullLogger<PostgresMembershipTable>.Instance);
}
