using HelaMem.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>Creates SQLite providers over a test's temp directory, as a silo would, but started by hand.</summary>
public static class SqliteTestStores
{
    /// <summary>Orleans' activators (what a silo gives the provider to create default state).</summary>
    public static IActivatorProvider Activators { get; } = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();

    public static SqliteStorageOptions Options(string directory, Action<SqliteStorageOptions>? configure = null)
    {
        var options = new SqliteStorageOptions { DataDirectory = directory };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A provider that is created but not started (nothing opened yet).</summary>
    public static SqliteGrainStorage Storage(string directory, Action<SqliteStorageOptions>? configure = null, string name = "Default") =>
        new(name, Options(directory, configure), Activators, NullLogger<SqliteGrainStorage>.Instance);

    /// <summary>A provider that is started: the database is open and migrated.</summary>
    public static async Task<SqliteGrainStorage> StartedStorageAsync(string directory, Action<SqliteStorageOptions>? configure = null, string name = "Default")
    {
        var storage = Storage(directory, configure, name);
        await storage.StartAsync();
        return storage;
    }

    public static SqliteReminderTable Reminders(string directory, Action<SqliteStorageOptions>? configure = null) =>
        new(Options(directory, configure), NullLogger<SqliteReminderTable>.Instance);

    public static async Task<SqliteReminderTable> StartedRemindersAsync(string directory, Action<SqliteStorageOptions>? configure = null)
    {
        var table = Reminders(directory, configure);
        await table.StartAsync();
        return table;
    }
}
