using HelaMem.Persistence.Tests.Conformance;
using Orleans;

namespace HelaMem.Persistence.Tests.Sqlite;

public sealed class SqliteReminderTableConformanceTests : ReminderTableConformance
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IReminderTable> CreateTableAsync() => await SqliteTestStores.StartedRemindersAsync(_directory.Path);

    protected override Task CleanupAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
