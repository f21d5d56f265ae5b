using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Runtime.Reminders;

namespace HelaMem.Persistence.Tests.Sqlite;

public sealed class SqliteReminderTableConformanceTests : ReminderTableConformance
{
    private readonly TempDirectory _directory = new();

    protected override Task<IReminderTable> CreateTableAsync() => Task.FromResult<IReminderTable>(SqliteTestStores.Reminders(_directory.Path));

    protected override Task CleanupAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
