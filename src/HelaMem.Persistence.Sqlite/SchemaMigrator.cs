using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Brings a database to the newest schema this build knows, at startup. Idempotent: steps already recorded in
/// <c>schema_version</c> are skipped. Safe against a second provider or process migrating the same file at the
/// same time: everything runs in one IMMEDIATE transaction, so the second waits and then finds nothing to do.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>Applies the missing steps of <paramref name="migrations"/>; returns the resulting schema version.</summary>
    /// <exception cref="StorageSchemaException">The database is newer than this build, or its bookkeeping is damaged.</exception>
    public static int Apply(SqliteConnection connection, IReadOnlyList<SchemaMigration> migrations, string databasePath, ILogger logger)
    {
        ThrowIfNotContiguous(migrations);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;

        using var transaction = connection.BeginTransaction(deferred: false);
        SqliteConnections.Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_at  INTEGER NOT NULL  -- Unix time in milliseconds, UTC
            );
            """, transaction);

        var current = ReadCurrentVersion(connection, transaction, databasePath);
        if (current > latest)
        {
            throw new StorageSchemaException(
                $"The database {databasePath} has schema version {current}, written by a newer HelaMem; this build knows versions up to {latest}. " +
                "Upgrade HelaMem or point it at another data directory. Nothing was changed.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            SqliteConnections.Execute(connection, migration.Sql, transaction);
            migration.Backfill?.Invoke(connection, transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $appliedAt);";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$description", migration.Description);
            record.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
            SqliteLog.MigrationApplied(logger, migration.Version, migration.Description, databasePath);
        }

        transaction.Commit();
        return Math.Max(current, latest);
    }

    private static int ReadCurrentVersion(SqliteConnection connection, SqliteTransaction transaction, string databasePath)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*), coalesce(max(version), 0), sum(typeof(version) <> 'integer') FROM schema_version;";
        using var reader = command.ExecuteReader();
        reader.Read();
        var rows = reader.GetInt64(0);
        var damaged = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
        if (damaged > 0)
        {
            throw new StorageSchemaException($"The schema_version table of {databasePath} holds a version that is not an integer; the schema bookkeeping is damaged. Nothing was changed.");
        }

        var current = reader.GetInt64(1);
        if (rows != current)
        {
            // Steps are applied in order and never removed, so versions 1..n are all present exactly once.
            throw new StorageSchemaException($"The schema_version table of {databasePath} records {rows} steps but reaches version {current}; the schema bookkeeping is damaged. Nothing was changed.");
        }

        return checked((int)current);
    }

    private static void ThrowIfNotContiguous(IReadOnlyList<SchemaMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Migration steps must be numbered 1, 2, 3, ...; step {i} has version {migrations[i].Version}."));
            }
        }
    }
}
