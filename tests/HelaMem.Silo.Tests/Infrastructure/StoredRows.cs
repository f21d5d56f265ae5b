using Microsoft.Data.Sqlite;

namespace HelaMem.Silo.Tests.Infrastructure;

/// <summary>The rows of a silo's SQLite database (grain state and reminders) whose grain key names a tenant.</summary>
public static class StoredRows
{
    /// <summary>One stored row: its table, grain type, grain key, state or reminder name and version (ETag).</summary>
    public sealed record Row(string Table, string GrainType, string GrainKey, string Name, long Version);

    /// <summary>Every row whose key is <paramref name="tenant"/> or starts with <c>tenant/</c> (read-only, no pooling).</summary>
    public static async Task<List<Row>> OfTenantAsync(string dataDirectory, string tenant)
    {
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "helamem.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        await using var sqlite = new SqliteConnection(connection.ToString());
        await sqlite.OpenAsync();
        var rows = new List<Row>();
        foreach (var (table, name, version) in new[] { ("grain_state", "state_name", "version"), ("reminders", "reminder_name", "etag") })
        {
            await using var command = sqlite.CreateCommand();
            command.CommandText = $"SELECT grain_type, grain_key, {name}, {version} FROM {table} WHERE grain_key = $tenant OR substr(grain_key, 1, length($tenant) + 1) = $tenant || '/' ORDER BY grain_type, grain_key, {name};";
            command.Parameters.AddWithValue("$tenant", tenant);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(new Row(table, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
        }

        return rows;
    }

    /// <summary>The stored JSON of the tenant directory (the list of tenant names).</summary>
    public static async Task<string> TenantDirectoryAsync(string dataDirectory)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "helamem.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var sqlite = new SqliteConnection(connection.ToString());
        await sqlite.OpenAsync();
        await using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT CAST(payload AS TEXT) FROM grain_state WHERE grain_type = 'tenant-directory';";
        return (string?)await command.ExecuteScalarAsync() ?? "";
    }
}
