using HelaMem.Persistence.Tests.Conformance;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Sqlite;

public sealed class SqliteGrainStorageConformanceTests : GrainStorageConformance
{
    private readonly TempDirectory _directory = new();

    protected override int MaxPayloadBytes => 8 * 1024 * 1024;

    protected override async Task<IGrainStorage> CreateStorageAsync() =>
        await SqliteTestStores.StartedStorageAsync(_directory.Path, options => options.MaxPayloadBytes = MaxPayloadBytes);

    protected override Task CleanupAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The same contract with synchronous=NORMAL and a lingering group commit, so batches really hold many writes
/// (with racing writers in one batch, the per-row checks carry the whole contract).
/// </summary>
public sealed class SqliteGrainStorageLingeringBatchConformanceTests : GrainStorageConformance
{
    private readonly TempDirectory _directory = new();

    protected override int MaxPayloadBytes => 6 * 1024 * 1024;

    protected override async Task<IGrainStorage> CreateStorageAsync() => await SqliteTestStores.StartedStorageAsync(
        _directory.Path,
        options =>
        {
            options.Synchronous = Persistence.Sqlite.SqliteSynchronousMode.Normal;
            options.MaxBatchDelay = TimeSpan.FromMilliseconds(2);
            options.MaxBatchSize = 64;
            options.MaxPayloadBytes = MaxPayloadBytes;
        });

    protected override Task CleanupAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
