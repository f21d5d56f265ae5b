using HelaMem.Persistence.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>Creates SQLite providers over a test's temp directory.</summary>
public static class SqliteTestStores
{
    public static SqliteStorageOptions Options(string directory, Action<SqliteStorageOptions>? configure = null)
    {
        var options = new SqliteStorageOptions { DataDirectory = directory };
        configure?.Invoke(options);
        return options;
    }

    public static SqliteGrainStorage Storage(string directory, Action<SqliteStorageOptions>? configure = null) =>
        new(Options(directory, configure), NullLogger<SqliteGrainStorage>.Instance);

    public static SqliteReminderTable Reminders(string directory, Action<SqliteStorageOptions>? configure = null) =>
        new(Options(directory, configure), NullLogger<SqliteReminderTable>.Instance);
}
