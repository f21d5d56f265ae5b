using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Runs one batch of writes and clears as one transaction on the writer connection. Each operation is checked on
/// its own row (a conditional INSERT, UPDATE or DELETE whose affected-row count says whether its ETag matched),
/// so a conflict fails only that operation and writes nothing for it, while the rest of the batch commits.
/// </summary>
/// <remarks>Used only by the group-commit thread; the prepared commands are reused for every batch.</remarks>
internal sealed class GrainStateBatchWriter : IDisposable
{
    private const string KeyPredicate = "grain_type = $type AND grain_key = $key AND state_name = $state";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SqliteCommand _readSequence;
    private readonly SqliteCommand _writeSequence;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _probe;

    public GrainStateBatchWriter(SqliteConnection connection, TimeProvider timeProvider, ILogger logger)
    {
        _connection = connection;
        _timeProvider = timeProvider;
        _logger = logger;
        _readSequence = Command("SELECT last_value FROM etag_sequence WHERE id = 1;");
        _writeSequence = Command("UPDATE etag_sequence SET last_value = $last WHERE id = 1;", ("$last", SqliteType.Integer));
        _insert = Command(
            "INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload, payload_crc, updated_at) " +
            "VALUES ($type, $key, $state, $new, $payload, $crc, $now) ON CONFLICT DO NOTHING;",
            KeyParameters(("$new", SqliteType.Integer), ("$payload", SqliteType.Blob), ("$crc", SqliteType.Integer), ("$now", SqliteType.Integer)));
        _update = Command(
            $"UPDATE grain_state SET version = $new, payload = $payload, payload_crc = $crc, updated_at = $now WHERE {KeyPredicate} AND version = $expected;",
            KeyParameters(("$new", SqliteType.Integer), ("$payload", SqliteType.Blob), ("$crc", SqliteType.Integer), ("$now", SqliteType.Integer), ("$expected", SqliteType.Integer)));
        _delete = Command($"DELETE FROM grain_state WHERE {KeyPredicate} AND version = $expected;", KeyParameters(("$expected", SqliteType.Integer)));
        _probe = Command($"SELECT version FROM grain_state WHERE {KeyPredicate};", KeyParameters());
    }

    /// <summary>Applies <paramref name="batch"/> in one IMMEDIATE transaction; throws (after rolling back) if SQLite fails.</summary>
    public void Execute(IReadOnlyList<PendingWrite> batch)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in new[] { _readSequence, _writeSequence, _insert, _update, _delete, _probe })
        {
            command.Transaction = transaction;
        }

        // Read inside the IMMEDIATE transaction: no other connection or process can draw from the sequence meanwhile.
        var lastVersion = (long)_readSequence.ExecuteScalar()!;
        var nextVersion = lastVersion;
        foreach (var write in batch)
        {
            if (write.Payload is { } payload)
            {
                Write(write, payload, ref nextVersion, now);
            }
            else
            {
                Clear(write);
            }
        }

        if (nextVersion != lastVersion)
        {
            _writeSequence.Parameters["$last"].Value = nextVersion;
            _writeSequence.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private void Write(PendingWrite write, byte[] payload, ref long nextVersion, long now)
    {
        var newVersion = nextVersion + 1;
        int changed;
        if (write.ExpectedETag is null)
        {
            SetPayload(_insert, write.Key, payload, newVersion, now);
            changed = _insert.ExecuteNonQuery();
        }
        else if (ETagFormat.TryParse(write.ExpectedETag, out var expected))
        {
            SetPayload(_update, write.Key, payload, newVersion, now);
            _update.Parameters["$expected"].Value = expected;
            changed = _update.ExecuteNonQuery();
        }
        else
        {
            changed = 0;
        }

        if (changed == 1)
        {
            nextVersion = newVersion;
            write.Succeeded(ETagFormat.Format(newVersion));
        }
        else
        {
            RecordConflict(write);
        }
    }

    private void Clear(PendingWrite write)
    {
        if (write.ExpectedETag is null)
        {
            // Clearing what the writer believes absent succeeds only if it is absent; there is nothing to delete.
            if (ProbeVersion(write.Key) is null)
            {
                write.Succeeded(null);
            }
            else
            {
                RecordConflict(write);
            }

            return;
        }

        var changed = 0;
        if (ETagFormat.TryParse(write.ExpectedETag, out var expected))
        {
            SetKey(_delete, write.Key);
            _delete.Parameters["$expected"].Value = expected;
            changed = _delete.ExecuteNonQuery();
        }

        if (changed == 1)
        {
            write.Succeeded(null);
        }
        else
        {
            RecordConflict(write);
        }
    }

    private void RecordConflict(PendingWrite write)
    {
        var stored = ProbeVersion(write.Key);
        SqliteLog.WriteConflict(_logger, write.Key, write.ExpectedETag, stored);
        var operation = write.Payload is null ? "clear" : "write";
        var expected = write.ExpectedETag is null ? "no record (ETag null)" : $"ETag '{write.ExpectedETag}'";
        var found = stored is null ? "no record" : $"ETag '{stored}'";
        write.Conflicted(new InconsistentStateException(
            $"The {operation} of state {write.Key} expected {expected} but storage holds {found}; nothing was changed. Read the state again before retrying.",
            storedEtag: stored,
            currentEtag: write.ExpectedETag));
    }

    private string? ProbeVersion(StateKey key)
    {
        SetKey(_probe, key);
        return _probe.ExecuteScalar() switch
        {
            null => null,
            long version => ETagFormat.Format(version),
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static void SetPayload(SqliteCommand command, StateKey key, byte[] payload, long newVersion, long now)
    {
        SetKey(command, key);
        command.Parameters["$new"].Value = newVersion;
        command.Parameters["$payload"].Value = payload;
        command.Parameters["$crc"].Value = (long)PayloadChecksum.Compute(payload);
        command.Parameters["$now"].Value = now;
    }

    private static void SetKey(SqliteCommand command, StateKey key)
    {
        command.Parameters["$type"].Value = key.GrainType;
        command.Parameters["$key"].Value = key.GrainKey;
        command.Parameters["$state"].Value = key.StateName;
    }

    private static (string Name, SqliteType Type)[] KeyParameters(params (string Name, SqliteType Type)[] more) =>
        [("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$state", SqliteType.Text), .. more];

    private SqliteCommand Command(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in new[] { _readSequence, _writeSequence, _insert, _update, _delete, _probe })
        {
            command.Dispose();
        }
    }
}
