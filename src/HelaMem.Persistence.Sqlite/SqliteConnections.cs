using System.Globalization;
using Microsoft.Data.Sqlite;

namespace HelaMem.Persistence.Sqlite;

/// <summary>Opens connections to the provider's database with the settings every connection needs.</summary>
internal static class SqliteConnections
{
    /// <summary>Opens the connection that writes: WAL mode, the configured synchronous level, a busy timeout.</summary>
    public static SqliteConnection OpenWriter(SqliteStorageOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var connection = Open(options);
        try
        {
            // journal_mode is persistent in the file, but setting it here makes a fresh or foreign file WAL too.
            var journalMode = Convert.ToString(Execute(connection, "PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for {options.DatabasePath} (journal mode is '{journalMode}'); the file system may not support shared memory. HelaMem needs WAL for concurrent readers and its durability guarantee.");
            }

            var synchronous = options.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
            Execute(connection, $"PRAGMA synchronous={synchronous};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection that only reads (query_only guards against a bug writing through it).</summary>
    public static SqliteConnection OpenReader(SqliteStorageOptions options)
    {
        var connection = Open(options);
        Execute(connection, "PRAGMA query_only=1;");
        return connection;
    }

    private static SqliteConnection Open(SqliteStorageOptions options)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The providers own their connections for their whole life; pooling would keep files open after dispose.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout={(long)options.BusyTimeout.TotalMilliseconds};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static object? Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
