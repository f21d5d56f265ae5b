using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace HelaMem.Grains.Tests.Fixtures;

/// <summary>
/// Direct access to the SQLite provider's grain_state table, to check what is really stored and to put a state
/// back in the shape an older version wrote (with the CRC-32C the provider checks on every read).
/// </summary>
internal static class StoredStates
{
    // Grains of one user share a key (graph, semantic memory, consolidation): a grain type picks one of them.
    private const string KeyAndType = "grain_key = $key AND ($type IS NULL OR grain_type = $type)";

    /// <summary>The stored JSON state of <paramref name="grainKey"/> (of <paramref name="grainType"/>, when given), or null.</summary>
    public static string? Payload(string directory, string grainKey, string? grainType = null)
    {
        using var connection = Open(directory, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT payload FROM grain_state WHERE {KeyAndType}";
        command.Parameters.AddWithValue("$key", grainKey);
        command.Parameters.AddWithValue("$type", (object?)grainType ?? DBNull.Value);
        return command.ExecuteScalar() is byte[] payload ? System.Text.Encoding.UTF8.GetString(payload) : null;
    }

    /// <summary>Rewrites a stored JSON state without <paramref name="property"/>, as a version before it existed wrote it.</summary>
    public static void RemoveProperty(string directory, string grainKey, string property, string? grainType = null) =>
        Rewrite(directory, grainKey, grainType, json =>
        {
            if (!json.Remove(property))
            {
                throw new InvalidOperationException($"The state of {grainKey} has no property {property}.");
            }
        });

    /// <summary>Rewrites a stored JSON state through <paramref name="change"/> (with the checksum the provider verifies).</summary>
    public static void Rewrite(string directory, string grainKey, Action<JsonObject> change) => Rewrite(directory, grainKey, null, change);

    /// <summary>Rewrites the stored JSON state of one grain type under <paramref name="grainKey"/> through <paramref name="change"/>.</summary>
    public static void Rewrite(string directory, string grainKey, string? grainType, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(Payload(directory, grainKey, grainType) ?? throw new InvalidOperationException($"No state for {grainKey}."))!.AsObject();
        change(json);
        var payload = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        using var connection = Open(directory, SqliteOpenMode.ReadWrite);
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE grain_state SET payload = $payload, payload_crc = $crc WHERE {KeyAndType}";
        command.Parameters.AddWithValue("$key", grainKey);
        command.Parameters.AddWithValue("$type", (object?)grainType ?? DBNull.Value);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$crc", (long)Crc32C(payload));
        if (command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"The state of {grainKey} was not rewritten.");
        }
    }

    private static SqliteConnection Open(string directory, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "helamem.db"), Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    // The provider's PayloadChecksum (internal there): CRC-32C, eight bytes at a time, then the rest.
    private static uint Crc32C(ReadOnlySpan<byte> payload)
    {
        var crc = uint.MaxValue;
        while (payload.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(payload));
            payload = payload[sizeof(ulong)..];
        }

        foreach (var value in payload)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        return ~crc;
    }
}
