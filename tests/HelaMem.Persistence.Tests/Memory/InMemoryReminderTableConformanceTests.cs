using HelaMem.Persistence.Memory;
using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Runtime.Reminders;

namespace HelaMem.Persistence.Tests.Memory;

public sealed class InMemoryReminderTableConformanceTests : ReminderTableConformance
{
    protected override Task<IReminderTable> CreateTableAsync() => Task.FromResult<IReminderTable>(new InMemoryReminderTable());
}
