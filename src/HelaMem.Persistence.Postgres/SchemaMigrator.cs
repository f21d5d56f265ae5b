using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Brings the <c>helamem</c> schema to the newest version this build knows. Idempotent: steps recorded in
/// <c>helamem.schema_version</c> are skipped. Safe when several silos (or several providers of one silo) start at
/// once: the whole migration runs in one transaction under a transaction-scoped advisory lock, so the others wait
/// and then find nothing to do; without the lock two concurrent <c>CREATE ... IF NOT EXISTS</c> can still collide.
/// </summary>
internal static class SchemaMigrator
{
    // An arbitrary, fixed key for pg_advisory_xact_lock: "HelaMem\0" as a big-endian 64-bit integer.
    private const long AdvisoryLockKey = 0x48656C614D656D00;

    /// <summary>Applies the missing steps; returns the schema version the database now has.</summary>
    /// <exception cref="PostgresSchemaException">The database is newer than this build, or its bookkeeping is damaged.</exception>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, IReadOnlyList<SchemaMigration> migrations, string target, ILogger logger, CancellationToken cancellationToken)
    {
        ThrowIfNotContiguous(migrations);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey.ToString(CultureInfo.InvariantCulture)});", cancellationToken);
        await ExecuteAsync(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {Migrations.Schema};
            CREATE TABLE IF NOT EXISTS {Migrations.Schema}.schema_version (
                version     integer     PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken);

        var current = await ReadCurrentVersionAsync(connection, transaction, target, cancellationToken);
        if (current > latest)
        {
            throw new PostgresSchemaException(
                $"The PostgreSQL database at {target} has HelaMem schema version {current}, written by a newer HelaMem; this build knows versions up to {latest}. " +
                "Upgrade HelaMem or point it at another database. Nothing was changed.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand($"INSERT INTO {Migrations.Schema}.schema_version (version, description) VALUES ($1, $2);", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Description });
            await record.ExecuteNonQueryAsync(cancellationToken);
            PostgresLog.MigrationApplied(logger, migration.Version, migration.Description, target);
        }

        await transaction.CommitAsync(cancellationToken);
        return Math.Max(current, latest);
    }

    private static async Task<int> ReadCurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string target, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*), coalesce(max(version), 0) FROM {Migrations.Schema}.schema_version;", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var rows = reader.GetInt64(0);
        var current = reader.GetInt32(1);
        if (rows != current)
        {
            // Steps are applied in order and never removed, so versions 1..n are all present exactly once.
            throw new PostgresSchemaException(
                $"helamem.schema_version at {target} records {rows} steps but reaches version {current}; the schema bookkeeping is damaged. Nothing was changed.");
        }

        return current;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
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
