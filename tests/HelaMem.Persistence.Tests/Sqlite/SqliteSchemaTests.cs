using System.Text;
using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>Migrations, and the clear errors for databases this build must not use or rows damaged outside HelaMem.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private static readonly GrainId Grain = GrainId.Create("memory-node", "tenant/user/1");

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string DatabasePath => Path.Combine(_directory.Path, "helamem.db");

    [Fact]
    public async Task A_new_database_gets_wal_mode_and_every_migration_recorded_once()
    {
        await using (await SqliteTestStores.StartedStorageAsync(_directory.Path))
        {
        }

        Assert.Equal(2, Migrations.Latest);
        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
        Assert.Equal((long)Migrations.Latest, Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal((long)Migrations.All.Count, Scalar("SELECT count(*) FROM schema_version;"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM pragma_table_info('reminders') WHERE name = 'grain_hash';"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'reminders_by_grain_hash';"));
    }

    [Fact]
    public async Task Starting_again_and_again_applies_nothing_twice()
    {
        for (var i = 0; i < 3; i++)
        {
            await using (await SqliteTestStores.StartedStorageAsync(_directory.Path))
            await using (await SqliteTestStores.StartedRemindersAsync(_directory.Path))
            {
            }
        }

        Assert.Equal((long)Migrations.All.Count, Scalar("SELECT count(*) FROM schema_version;"));
        using var connection = Open();
        Assert.Equal(Migrations.Latest, SchemaMigrator.Apply(connection, Migrations.All, DatabasePath, NullLogger.Instance));
        Assert.Equal(Migrations.Latest, SchemaMigrator.Apply(connection, Migrations.All, DatabasePath, NullLogger.Instance));
        Assert.Equal((long)Migrations.All.Count, Scalar("SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public async Task A_later_migration_is_applied_on_top_of_existing_data_without_replaying_earlier_ones()
    {
        await using (var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path))
        {
            await storage.WriteAsync(Grain, "kept", null);
        }

        SchemaMigration next = new(Migrations.Latest + 1, "test: an index", "CREATE INDEX grain_state_by_update ON grain_state (updated_at);");
        using (var connection = Open())
        {
            Assert.Equal(next.Version, SchemaMigrator.Apply(connection, [.. Migrations.All, next], DatabasePath, NullLogger.Instance));
        }

        Assert.Equal(1L, Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'grain_state_by_update';"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM grain_state;"));
    }

    [Fact]
    public async Task A_version_1_database_with_reminders_migrates_to_2_fills_the_grain_hash_and_answers_range_queries()
    {
        // The schema the previous release created, with its rows: migration 1 only, reminders without a hash.
        var alice = GrainId.Create("consolidation", "fixture/alice");
        var bob = GrainId.Create("consolidation", "fixture/bob");
        var carol = GrainId.Create("memory-node", "fixture/carol/3");
        using (var connection = Open())
        {
            Assert.Equal(1, SchemaMigrator.Apply(connection, [Migrations.All[0]], DatabasePath, NullLogger.Instance));
        }

        Execute($"""
            INSERT INTO reminders (grain_type, grain_key, reminder_name, start_at, period, etag) VALUES
                ('consolidation', 'fixture/alice', 'consolidate', {new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc).Ticks}, {TimeSpan.FromMinutes(10).Ticks}, 3),
                ('consolidation', 'fixture/alice', 'forget', {new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc).Ticks}, {TimeSpan.FromHours(1).Ticks}, 4),
                ('consolidation', 'fixture/bob', 'consolidate', {new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc).Ticks}, {TimeSpan.FromMinutes(10).Ticks}, 5),
                ('memory-node', 'fixture/carol/3', 'decay', 0, {TimeSpan.FromDays(1).Ticks}, 6);
            UPDATE etag_sequence SET last_value = 6;
            """);

        await using var table = await SqliteTestStores.StartedRemindersAsync(_directory.Path);

        Assert.Equal(2L, Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM reminders WHERE grain_hash IS NULL;"));
        foreach (var grain in new[] { alice, bob, carol })
        {
            Assert.Equal((long)grain.GetUniformHashCode(), Scalar($"SELECT DISTINCT grain_hash FROM reminders WHERE grain_type = '{grain.Type}' AND grain_key = '{grain.Key}';"));
        }

        var aliceHash = alice.GetUniformHashCode();
        Assert.Equal(["consolidate", "forget"], (await table.ReadRows(aliceHash - 1, aliceHash)).Reminders.Where(r => r.GrainId == alice).Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain((await table.ReadRows(aliceHash, aliceHash + 1)).Reminders, r => r.GrainId == alice);
        var whole = (await table.ReadRows(0u, 0u)).Reminders;
        Assert.Equal(4, whole.Count);
        foreach (var (begin, end) in new (uint, uint)[] { (0, uint.MaxValue / 2), (uint.MaxValue / 2, 0), (uint.MaxValue / 3, uint.MaxValue / 5), (aliceHash, aliceHash) })
        {
            var expected = whole.Where(r => ReminderTableConformance.InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(r => r.ETag).Order(StringComparer.Ordinal);
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.ETag).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }

        // The old rows keep their ETags and fields; new ETags continue after the old sequence.
        var old = await table.ReadRow(alice, "forget");
        Assert.NotNull(old);
        Assert.Equal("4", old.ETag);
        Assert.Equal(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), old.StartAt);
        Assert.Equal(TimeSpan.FromHours(1), old.Period);
        Assert.Equal("7", await table.UpsertRow(new ReminderEntry { GrainId = bob, ReminderName = "forget", StartAt = DateTime.UnixEpoch, Period = TimeSpan.FromHours(1) }));
    }

    [Fact]
    public async Task Reminder_rows_without_a_hash_get_one_when_the_table_starts()
    {
        var grain = GrainId.Create("consolidation", "tenant/user");
        await using (var table = await SqliteTestStores.StartedRemindersAsync(_directory.Path))
        {
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "consolidate", StartAt = DateTime.UnixEpoch, Period = TimeSpan.FromMinutes(1) });
        }

        // As a row written by a tool that knows the columns but not Orleans' hash.
        Execute("UPDATE reminders SET grain_hash = NULL;");

        await using var restarted = await SqliteTestStores.StartedRemindersAsync(_directory.Path);
        Assert.Equal((long)grain.GetUniformHashCode(), Scalar("SELECT grain_hash FROM reminders;"));
        Assert.Single((await restarted.ReadRows(grain.GetUniformHashCode() - 1, grain.GetUniformHashCode())).Reminders);
    }

    [Fact]
    public async Task A_database_from_a_newer_schema_is_refused_at_start_with_a_clear_error_and_left_alone()
    {
        await using (await SqliteTestStores.StartedStorageAsync(_directory.Path))
        {
        }

        var newer = Migrations.Latest + 1;
        Execute($"INSERT INTO schema_version (version, description, applied_at) VALUES ({newer}, 'from the future', 0);");

        await using var storage = SqliteTestStores.Storage(_directory.Path);
        await using var reminders = SqliteTestStores.Reminders(_directory.Path);
        var storageError = await Assert.ThrowsAsync<StorageSchemaException>(() => storage.StartAsync());
        var reminderError = await Assert.ThrowsAsync<StorageSchemaException>(() => reminders.StartAsync());

        Assert.Contains($"schema version {newer}", storageError.Message, StringComparison.Ordinal);
        Assert.Contains("newer HelaMem", storageError.Message, StringComparison.Ordinal);
        Assert.Contains(DatabasePath, storageError.Message, StringComparison.Ordinal);
        Assert.Equal(storageError.Message, reminderError.Message);
        Assert.Equal((long)newer, Scalar("SELECT max(version) FROM schema_version;"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_sqlite_database_is_refused_with_a_clear_error_and_left_alone()
    {
        var garbage = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not a database. ", 200)));
        File.WriteAllBytes(DatabasePath, garbage);

        await using var storage = SqliteTestStores.Storage(_directory.Path);
        var error = await Assert.ThrowsAsync<StorageSchemaException>(() => storage.StartAsync());

        Assert.Contains("is not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(DatabasePath));
    }

    [Fact]
    public async Task Damaged_schema_bookkeeping_is_refused_with_a_clear_error()
    {
        await using (await SqliteTestStores.StartedStorageAsync(_directory.Path))
        {
        }

        Execute("DELETE FROM schema_version WHERE version = 1; INSERT INTO schema_version VALUES (7, 'gap', 0);");

        await using var storage = SqliteTestStores.Storage(_directory.Path);
        var error = await Assert.ThrowsAsync<StorageSchemaException>(() => storage.StartAsync());
        Assert.Contains("bookkeeping is damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_bytes_in_the_payload_column_fail_the_read_with_a_checksum_error_naming_the_grain()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        await storage.WriteAsync(Grain, "hello", null);

        Execute("UPDATE grain_state SET payload = randomblob(19);");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadAsync(Grain));
        Assert.Contains("memory-node/tenant/user/1", error.Message, StringComparison.Ordinal);
        Assert.Contains("'state'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its checksum", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payload = 'some text'", "payload")]
    [InlineData("payload = 42", "payload")]
    [InlineData("version = 'v1'", "version")]
    [InlineData("updated_at = 'yesterday'", "updated_at")]
    public async Task A_value_of_the_wrong_type_in_a_state_row_fails_the_read_with_a_clear_error(string damage, string column)
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        await storage.WriteAsync(Grain, "fine", null);

        Execute($"UPDATE grain_state SET {damage};");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadAsync(Grain));
        Assert.Contains("memory-node/tenant/user/1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"column {column}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_row_does_not_affect_other_rows()
    {
        var healthy = GrainId.Create("memory-node", "tenant/user/2");
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        await storage.WriteAsync(Grain, "damaged soon", null);
        await storage.WriteAsync(healthy, "healthy", null);

        Execute($"UPDATE grain_state SET payload = x'00' WHERE grain_key = '{Grain.Key}';");

        await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadAsync(Grain));
        Assert.Equal("healthy", await storage.ReadTextAsync(healthy));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
