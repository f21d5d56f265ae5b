using System.Text;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>Migrations, and the clear errors for databases this build must not use or rows damaged outside HelaMem.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private static readonly GrainStateKey Key = new("node", "tenant/user/1", "state");

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string DatabasePath => Path.Combine(_directory.Path, "helamem.db");

    [Fact]
    public async Task A_new_database_gets_wal_mode_and_every_migration_recorded_once()
    {
        await using (SqliteTestStores.Storage(_directory.Path))
        {
        }

        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
        Assert.Equal((long)Migrations.Latest, Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal((long)Migrations.All.Count, Scalar("SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public async Task Opening_again_and_again_applies_nothing_twice()
    {
        for (var i = 0; i < 3; i++)
        {
            await using (SqliteTestStores.Storage(_directory.Path))
            await using (SqliteTestStores.Reminders(_directory.Path))
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
        await using (var storage = SqliteTestStores.Storage(_directory.Path))
        {
            await storage.WriteAsync(Key, Encoding.UTF8.GetBytes("kept"), null);
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
    public async Task A_database_from_a_newer_schema_is_refused_with_a_clear_error_and_left_alone()
    {
        await using (SqliteTestStores.Storage(_directory.Path))
        {
        }

        var newer = Migrations.Latest + 1;
        Execute($"INSERT INTO schema_version (version, description, applied_at) VALUES ({newer}, 'from the future', 0);");

        var storageError = Assert.Throws<StorageSchemaException>(() => SqliteTestStores.Storage(_directory.Path));
        var reminderError = Assert.Throws<StorageSchemaException>(() => SqliteTestStores.Reminders(_directory.Path));

        Assert.Contains($"schema version {newer}", storageError.Message, StringComparison.Ordinal);
        Assert.Contains("newer HelaMem", storageError.Message, StringComparison.Ordinal);
        Assert.Contains(DatabasePath, storageError.Message, StringComparison.Ordinal);
        Assert.Equal(storageError.Message, reminderError.Message);
        Assert.Equal((long)newer, Scalar("SELECT max(version) FROM schema_version;"));
    }

    [Fact]
    public void A_file_that_is_not_a_sqlite_database_is_refused_with_a_clear_error_and_left_alone()
    {
        var garbage = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not a database. ", 200)));
        File.WriteAllBytes(DatabasePath, garbage);

        var error = Assert.Throws<StorageSchemaException>(() => SqliteTestStores.Storage(_directory.Path));

        Assert.Contains("is not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(DatabasePath));
    }

    [Fact]
    public async Task Damaged_schema_bookkeeping_is_refused_with_a_clear_error()
    {
        await using (SqliteTestStores.Storage(_directory.Path))
        {
        }

        Execute("DELETE FROM schema_version WHERE version = 1; INSERT INTO schema_version VALUES (7, 'gap', 0);");

        var error = Assert.Throws<StorageSchemaException>(() => SqliteTestStores.Storage(_directory.Path));
        Assert.Contains("bookkeeping is damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_bytes_in_the_payload_column_fail_the_read_with_a_clear_error()
    {
        await using var storage = SqliteTestStores.Storage(_directory.Path);
        await storage.WriteAsync(Key, Encoding.UTF8.GetBytes("{\"content\":\"hello\"}"), null);

        Execute("UPDATE grain_state SET payload = randomblob(19);");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadAsync(Key));
        Assert.Contains(Key.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its checksum", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payload = 'some text'", "payload")]
    [InlineData("payload = 42", "payload")]
    [InlineData("version = 'v1'", "version")]
    [InlineData("updated_at = 'yesterday'", "updated_at")]
    public async Task A_value_of_the_wrong_type_in_a_state_row_fails_the_read_with_a_clear_error(string damage, string column)
    {
        await using var storage = SqliteTestStores.Storage(_directory.Path);
        await storage.WriteAsync(Key, Encoding.UTF8.GetBytes("fine"), null);

        Execute($"UPDATE grain_state SET {damage};");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadAsync(Key));
        Assert.Contains(Key.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains($"column {column}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_row_does_not_affect_other_rows()
    {
        var healthy = new GrainStateKey("node", "tenant/user/2", "state");
        await using var storage = SqliteTestStores.Storage(_directory.Path);
        await storage.WriteAsync(Key, Encoding.UTF8.GetBytes("damaged soon"), null);
        await storage.WriteAsync(healthy, Encoding.UTF8.GetBytes("healthy"), null);

        Execute($"UPDATE grain_state SET payload = x'00' WHERE grain_key = '{Key.GrainKey}';");

        await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadAsync(Key));
        var stored = await storage.ReadAsync(healthy);
        Assert.NotNull(stored);
        Assert.Equal("healthy", Encoding.UTF8.GetString(stored.Payload.Span));
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
