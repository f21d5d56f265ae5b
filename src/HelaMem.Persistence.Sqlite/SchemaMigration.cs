using Microsoft.Data.Sqlite;

namespace HelaMem.Persistence.Sqlite;

/// <summary>One step of the schema's history: applied once, in order, inside the migrating transaction.</summary>
/// <param name="Version">The schema version this step produces (1, 2, ...).</param>
/// <param name="Description">What the step does, recorded in <c>schema_version</c>.</param>
/// <param name="Sql">The DDL of the step.</param>
/// <param name="Backfill">
/// Work SQL cannot do, run after <paramref name="Sql"/> in the same transaction (e.g. computing Orleans' grain
/// hash of existing rows), or null.
/// </param>
internal sealed record SchemaMigration(int Version, string Description, string Sql, Action<SqliteConnection, SqliteTransaction>? Backfill = null);
