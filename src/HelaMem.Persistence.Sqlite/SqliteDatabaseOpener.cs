using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Sqlite;

/// <summary>Opens a provider's writer connection and brings the schema up to date, as every provider does at startup.</summary>
internal static class SqliteDatabaseOpener
{
    private const int SqliteNotADatabase = 26;

    /// <exception cref="StorageSchemaException">The file is not a SQLite database, or its schema is newer or damaged.</exception>
    public static SqliteConnection OpenAndMigrate(SqliteStorageOptions options, ILogger logger, out int schemaVersion)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = SqliteConnections.OpenWriter(options);
            schemaVersion = SchemaMigrator.Apply(connection, Migrations.All, options.DatabasePath, logger);
            return connection;
        }
        catch (SqliteException error) when (error.SqliteErrorCode == SqliteNotADatabase)
        {
            connection?.Dispose();
            throw new StorageSchemaException($"{options.DatabasePath} is not a SQLite database (SQLite: {error.Message}). Point DataDirectory/FileName at a HelaMem database or at a new file.", error);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }
}
