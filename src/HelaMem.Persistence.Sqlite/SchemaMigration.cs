namespace HelaMem.Persistence.Sqlite;

/// <summary>One step of the schema's history: applied once, in order, inside the migrating transaction.</summary>
/// <param name="Version">The schema version this step produces (1, 2, ...).</param>
/// <param name="Description">What the step does, recorded in <c>schema_version</c>.</param>
/// <param name="Sql">The DDL of the step.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
