namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// The schema's history. Never edit a released step: add a new one with the next version, so every existing
/// database reaches the same schema by replaying the steps it has not yet applied.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "grain state, reminders and the ETag sequence",
            """
            CREATE TABLE grain_state (
                grain_type  TEXT    NOT NULL,
                grain_key   TEXT    NOT NULL,
                state_name  TEXT    NOT NULL,
                version     INTEGER NOT NULL,  -- the ETag, drawn from etag_sequence
                payload     BLOB    NOT NULL,  -- opaque bytes; the runtime owns the format
                payload_crc INTEGER NOT NULL,  -- CRC-32C of payload, checked on every read
                updated_at  INTEGER NOT NULL,  -- Unix time in milliseconds, UTC
                PRIMARY KEY (grain_type, grain_key, state_name)
            );

            CREATE TABLE reminders (
                grain_type    TEXT    NOT NULL,
                grain_key     TEXT    NOT NULL,
                reminder_name TEXT    NOT NULL,
                start_at      INTEGER NOT NULL,  -- UTC ticks (100 ns since 0001-01-01)
                period        INTEGER NOT NULL,  -- ticks
                etag          INTEGER NOT NULL,  -- drawn from etag_sequence
                PRIMARY KEY (grain_type, grain_key, reminder_name)
            );

            -- One counter for the whole database, so an ETag never repeats: not after a clear and rewrite of a
            -- key, and not between providers sharing the file.
            CREATE TABLE etag_sequence (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                last_value INTEGER NOT NULL
            );
            INSERT INTO etag_sequence (id, last_value) VALUES (1, 0);
            """),
        new(2, "reminders: Orleans grain hash for range queries",
            """
            -- Orleans' GrainId.GetUniformHashCode() of (grain_type, grain_key), a uint: the reminder service asks for
            -- the reminders whose hash lies in its range of the ring. SQL cannot compute it, so the rows written by
            -- the previous release are filled by the step's backfill in the same transaction.
            ALTER TABLE reminders ADD COLUMN grain_hash INTEGER;
            CREATE INDEX reminders_by_grain_hash ON reminders (grain_hash);
            """,
            (connection, transaction) => ReminderHashes.FillMissing(connection, transaction)),
    ];

    public static int Latest => All[^1].Version;
}
