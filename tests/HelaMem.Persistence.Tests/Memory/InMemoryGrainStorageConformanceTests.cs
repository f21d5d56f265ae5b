using HelaMem.Persistence.Memory;
using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Tests.Memory;

public sealed class InMemoryGrainStorageConformanceTests : GrainStorageConformance
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new InMemoryGrainStorage());
}
