using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Tests.Servers;
using Npgsql;
using Orleans;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>The schema migrations: once per database however many silos start together, idempotent, and refusing a newer schema.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresSchemaTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Providers_starting_together_on_a_fresh_database_migrate_it_exactly_once()
    {
        var connectionString = await FreshDatabaseAsync();
        var serviceId = PostgresTestStores.NewServiceId();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var disposables = new System.Collections.Concurrent.ConcurrentBag<IAsyncDisposable>();

        var starts = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            switch (i % 3)
            {
                case 0:
                    disposables.Add(await PostgresTestStores.StartedStorageAsync(fixture.Server, serviceId, o => o.ConnectionString = connectionString));
                    break;
                case 1:
                    disposables.Add(await PostgresTestStores.StartedRemindersAsync(fixture.Server, serviceId, o => o.ConnectionString = connectionString));
                    break;
                default:
                    var membership = PostgresTestStores.Membership(fixture.Server, serviceId, o => o.ConnectionString = connectionString);
                    disposables.Add(membership);
                    await membership.InitializeMembershipTable(true);
                    break;
            }
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(starts);

        try
        {
            Assert.Equal(Enumerable.Range(1, Migrations.Latest), await AppliedVersionsAsync(connectionString));
            Assert.Equal(
                ["grain_state", "membership", "membership_version", "reminders", "schema_version"],
                await ScalarsAsync<string>(connectionString, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'helamem' ORDER BY table_name;"));
        }
        finally
        {
            foreach (var disposable in disposables)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Starting_again_applies_nothing_and_keeps_the_data()
    {
        var connectionString = await FreshDatabaseAsync();
        var serviceId = PostgresTestStores.NewServiceId();
        var grain = new ConformanceScope().Grain();
        string eTag;
        await using (var first = await PostgresTestStores.StartedStorageAsync(fixture.Server, serviceId, o => o.ConnectionString = connectionString))
        {
            eTag = await first.WriteAsync(grain, "kept", null);
        }

        var appliedBefore = await ScalarsAsync<DateTime>(connectionString, "SELECT applied_at FROM helamem.schema_version ORDER BY version;");
        await using var second = await PostgresTestStores.StartedStorageAsync(fixture.Server, serviceId, o => o.ConnectionString = connectionString);

        var read = await second.ReadAsync(grain);
        Assert.Equal("kept", read.State!.Text);
        Assert.Equal(eTag, read.ETag);
        Assert.Equal(appliedBefore, await ScalarsAsync<DateTime>(connectionString, "SELECT applied_at FROM helamem.schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_HelaMem_is_refused_and_left_unchanged()
    {
        var connectionString = await FreshDatabaseAsync();
        await using (var table = await PostgresTestStores.StartedRemindersAsync(fixture.Server, PostgresTestStores.NewServiceId(), o => o.ConnectionString = connectionString))
        {
        }

        var newer = Migrations.Latest + 1;
        await ScalarsAsync<int>(connectionString, $"INSERT INTO helamem.schema_version (version, description) VALUES ({newer}, 'from the future') RETURNING version;");

        var error = await Assert.ThrowsAsync<PostgresSchemaException>(() => PostgresTestStores.StartedStorageAsync(fixture.Server, PostgresTestStores.NewServiceId(), o => o.ConnectionString = connectionString));

        Assert.Contains($"schema version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"versions up to {Migrations.Latest}", error.Message, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, newer), await AppliedVersionsAsync(connectionString));
    }

    private async Task<string> FreshDatabaseAsync()
    {
        var name = $"fresh_{Guid.NewGuid():N}";
        await fixture.Server.CreateDatabaseAsync(name);
        return fixture.Server.ConnectionString(name);
    }

    private static Task<List<int>> AppliedVersionsAsync(string connectionString) =>
        ScalarsAsync<int>(connectionString, "SELECT version FROM helamem.schema_version ORDER BY version;");

    private static async Task<List<T>> ScalarsAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
