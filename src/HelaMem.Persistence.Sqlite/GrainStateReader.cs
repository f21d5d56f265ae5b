using Microsoft.Data.Sqlite;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// One read connection with its prepared query. A read checks the row's shape and payload checksum, so damage
/// done outside HelaMem surfaces as a clear <see cref="InvalidDataException"/> instead of garbage state.
/// </summary>
internal sealed class GrainStateReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _select;
    private readonly string _databasePath;

    public GrainStateReader(SqliteStorageOptions options)
    {
        _databasePath = options.DatabasePath;
        _connection = SqliteConnections.OpenReader(options);
        _select = _connection.CreateCommand();
        _select.CommandText =
            "SELECT version, payload, payload_crc, updated_at, typeof(version), typeof(payload), typeof(payload_crc), typeof(updated_at) " +
            "FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $state;";
        _select.Parameters.Add("$type", SqliteType.Text);
        _select.Parameters.Add("$key", SqliteType.Text);
        _select.Parameters.Add("$state", SqliteType.Text);
    }

    public StoredState? Read(StateKey key)
    {
        _select.Parameters["$type"].Value = key.GrainType;
        _select.Parameters["$key"].Value = key.GrainKey;
        _select.Parameters["$state"].Value = key.StateName;
        using var reader = _select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        RequireType(reader, key, column: "version", typeOrdinal: 4, "integer");
        RequireType(reader, key, column: "payload", typeOrdinal: 5, "blob");
        RequireType(reader, key, column: "payload_crc", typeOrdinal: 6, "integer");
        RequireType(reader, key, column: "updated_at", typeOrdinal: 7, "integer");

        var payload = reader.GetFieldValue<byte[]>(1);
        var storedChecksum = reader.GetInt64(2);
        var checksum = PayloadChecksum.Compute(payload);
        if (storedChecksum != checksum)
        {
            throw new InvalidDataException(
                $"The stored state {key} in {_databasePath} is damaged: its {payload.Length}-byte payload does not match its checksum " +
                $"(stored CRC-32C {storedChecksum:X8}, computed {checksum:X8}). It was changed outside HelaMem or the file is corrupt; restore the file from a backup or clear this state.");
        }

        return new StoredState(payload, ETagFormat.Format(reader.GetInt64(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }

    private void RequireType(SqliteDataReader reader, StateKey key, string column, int typeOrdinal, string expected)
    {
        var actual = reader.GetString(typeOrdinal);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"The stored state {key} in {_databasePath} is damaged: column {column} holds a {actual} value where HelaMem writes a {expected}. " +
                "The row was changed outside HelaMem; restore the file from a backup or clear this state.");
        }
    }

    public void Dispose()
    {
        _select.Dispose();
        _connection.Dispose();
    }
}
