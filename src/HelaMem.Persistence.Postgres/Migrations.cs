namespace HelaMem.Persistence.Postgres;

/// <summary>One step of the schema's history: applied once, in order, inside the migrating transaction.</summary>
/// <param name="Version">The schema version this step produces (1, 2, ...).</param>
/// <param name="Description">What the step does, recorded in <c>helamem.schema_version</c>.</param>
/// <param name="Sql">The DDL of the step (PostgreSQL runs DDL inside the transaction, so a failed step leaves nothing behind).</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);

/// <summary>
/// The schema's history, written for HelaMem from Orleans' provider contracts. Never edit a released step: add a
/// new one with the next version, so every existing database reaches the same schema by replaying what it lacks.
/// </summary>
internal static class Migrations
{
    public const string Schema = "helamem";

    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "grain state, reminders, membership and the ETag sequence",
            """
            -- One sequence for every table, so an ETag never repeats: not after a clear and rewrite of a key, not
            -- between tables, not between services sharing the database.
            CREATE SEQUENCE helamem.etag_sequence AS bigint;

            -- Grain state of Orleans' IGrainStorage, per service (ClusterOptions.ServiceId survives redeployments).
            CREATE TABLE helamem.grain_state (
                service_id  text        NOT NULL,
                grain_type  text        NOT NULL,  -- GrainId.Type.ToString()
                grain_key   text        NOT NULL,  -- GrainId.Key.ToString()
                state_name  text        NOT NULL,
                version     bigint      NOT NULL,  -- the ETag, drawn from etag_sequence
                payload     bytea       NOT NULL,  -- the grain storage serializer's bytes (JSON by default)
                updated_at  timestamptz NOT NULL,
                PRIMARY KEY (service_id, grain_type, grain_key, state_name)
            );

            -- Orleans' IReminderTable, per service.
            CREATE TABLE helamem.reminders (
                service_id    text        NOT NULL,
                grain_type    text        NOT NULL,
                grain_key     text        NOT NULL,
                reminder_name text        NOT NULL,
                grain_hash    bigint      NOT NULL,  -- GrainId.GetUniformHashCode(), a uint: the ring position
                start_at      timestamptz NOT NULL,
                period        interval    NOT NULL,
                etag          bigint      NOT NULL,
                PRIMARY KEY (service_id, grain_type, grain_key, reminder_name)
            );
            CREATE INDEX reminders_by_grain_hash ON helamem.reminders (service_id, grain_hash);

            -- Orleans' IMembershipTable, per cluster (ClusterOptions.ClusterId): the table version, changed in the
            -- same transaction as every row insert or update, so exactly one writer wins per version.
            CREATE TABLE helamem.membership_version (
                cluster_id text    PRIMARY KEY,
                version    integer NOT NULL,
                etag       bigint  NOT NULL
            );

            CREATE TABLE helamem.membership (
                cluster_id      text          NOT NULL REFERENCES helamem.membership_version (cluster_id) ON DELETE CASCADE,
                silo_address    text          NOT NULL,  -- SiloAddress.ToParsableString(): endpoint and generation
                status          integer       NOT NULL,  -- Orleans.Runtime.SiloStatus
                proxy_port      integer       NOT NULL,
                host_name       text          NOT NULL,
                silo_name       text          NOT NULL,
                role_name       text,
                update_zone     integer       NOT NULL,
                fault_zone      integer       NOT NULL,
                start_time      timestamptz   NOT NULL,
                i_am_alive_time timestamptz   NOT NULL,
                suspecters      text[]        NOT NULL,  -- parallel to suspect_times: who suspected this silo, and when
                suspect_times   timestamptz[] NOT NULL,
                etag            bigint        NOT NULL,
                PRIMARY KEY (cluster_id, silo_address)
            );
            """),
    ];

    public static int Latest => All[^1].Version;
}
