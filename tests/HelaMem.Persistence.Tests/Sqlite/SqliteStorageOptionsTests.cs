using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Conformance;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Sqlite;

public sealed class SqliteStorageOptionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, Action<SqliteStorageOptions>> InvalidSettings => new()
    {
        { "DataDirectory", o => o.DataDirectory = " " },
        { "FileName", o => o.FileName = "" },
        { "FileName", o => o.FileName = "nested/helamem.db" },
        { "Synchronous", o => o.Synchronous = (SqliteSynchronousMode)7 },
        { "BusyTimeout", o => o.BusyTimeout = TimeSpan.Zero },
        { "MaxBatchSize", o => o.MaxBatchSize = 0 },
        { "MaxBatchDelay", o => o.MaxBatchDelay = TimeSpan.FromMilliseconds(-1) },
        { "MaxPendingWrites", o => o.MaxPendingWrites = 0 },
        { "ReadConnections", o => o.ReadConnections = 0 },
        { "MaxPayloadBytes", o => o.MaxPayloadBytes = 0 },
        { "GrainStorageSerializer", o => o.GrainStorageSerializer = null! },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void An_invalid_setting_is_named_in_the_error_and_no_file_is_created(string setting, Action<SqliteStorageOptions> breakIt)
    {
        var directory = Path.Combine(_directory.Path, "data");
        var options = SqliteTestStores.Options(directory, breakIt);

        var storageError = Assert.ThrowsAny<ArgumentException>(() => SqliteTestStores.Storage(directory, breakIt));
        var reminderError = Assert.ThrowsAny<ArgumentException>(() => SqliteTestStores.Reminders(directory, breakIt));

        Assert.Contains(setting, storageError.Message, StringComparison.Ordinal);
        Assert.Equal(storageError.Message, reminderError.Message);
        Assert.Throws(storageError.GetType(), options.Validate);
        Assert.False(Directory.Exists(directory));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void A_provider_needs_a_name(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new SqliteGrainStorage(name, SqliteTestStores.Options(_directory.Path), SqliteTestStores.Activators, NullLogger<SqliteGrainStorage>.Instance));
    }

    [Fact]
    public async Task The_data_directory_is_created_at_start_and_the_file_name_and_provider_name_are_used()
    {
        var directory = Path.Combine(_directory.Path, "nested", "data");

        await using (var storage = SqliteTestStores.Storage(directory, o => o.FileName = "memory.sqlite", name: "Graphs"))
        {
            Assert.Equal("Graphs", storage.Name);
            Assert.False(Directory.Exists(directory));
            await storage.StartAsync();
            await storage.StartAsync();
        }

        Assert.True(File.Exists(Path.Combine(directory, "memory.sqlite")));
    }

    [Fact]
    public async Task A_state_above_the_payload_limit_is_refused_before_it_is_queued_and_others_in_flight_commit()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, o =>
        {
            o.MaxPayloadBytes = 1024;
            o.MaxBatchDelay = TimeSpan.FromSeconds(10);
            o.MaxBatchSize = 2;
        });
        var big = GrainId.Create("g", "big");
        // {"Text":"…","Count":0,"Tags":[]} is 31 bytes around the text.
        var first = storage.WriteAsync(GrainId.Create("g", "a"), new string('a', 1024 - 31), null);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.WriteAsync(big, new string('b', 1024 - 30), null));
        var second = storage.WriteAsync(GrainId.Create("g", "b"), "small", null);

        Assert.Contains("MaxPayloadBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("g/big", error.Message, StringComparison.Ordinal);
        Assert.Contains("1025 bytes", error.Message, StringComparison.Ordinal);
        await Task.WhenAll(first, second);
        Assert.Null(await storage.ReadTextAsync(big));
        Assert.Equal(new GroupCommitStatistics(1, 2, 2), storage.Statistics);
    }

    [Fact]
    public void The_defaults_are_durable_and_documented_values()
    {
        var options = new SqliteStorageOptions();

        Assert.Equal("helamem.db", options.FileName);
        Assert.Equal(SqliteSynchronousMode.Full, options.Synchronous);
        Assert.Equal(TimeSpan.Zero, options.MaxBatchDelay);
        Assert.Equal(ServiceLifecycleStage.ApplicationServices, options.InitStage);
        Assert.IsType<HelaMemJsonGrainStorageSerializer>(options.GrainStorageSerializer);
    }
}
