using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Tests.Servers;
using Orleans;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Postgres;

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresGrainStorageConformanceTests(PostgresFixture fixture) : GrainStorageConformance
{
    protected override int MaxPayloadBytes => 8 * 1024 * 1024;

    protected override async Task<IGrainStorage> CreateStorageAsync() =>
        await PostgresTestStores.StartedStorageAsync(fixture.Server, PostgresTestStores.NewServiceId(), options => options.MaxPayloadBytes = MaxPayloadBytes);
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresReminderTableConformanceTests(PostgresFixture fixture) : ReminderTableConformance
{
    protected override async Task<IReminderTable> CreateTableAsync() =>
        await PostgresTestStores.StartedRemindersAsync(fixture.Server, PostgresTestStores.NewServiceId());
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresMembershipTableConformanceTests(PostgresFixture fixture) : MembershipTableConformance
{
    protected override Task<IMembershipTable> CreateTableAsync(string clusterId) =>
        Task.FromResult<IMembershipTable>(PostgresTestStores.Membership(fixture.Server, clusterId));
}
