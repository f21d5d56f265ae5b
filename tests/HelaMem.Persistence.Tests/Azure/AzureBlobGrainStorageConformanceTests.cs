using HelaMem.Persistence.Tests.Conformance;
using HelaMem.TestSupport.Azurite;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Azure;

/// <summary>Orleans' Azure Blob grain storage (the azure profile's) against the suite, on Azurite.</summary>
public sealed class AzureBlobGrainStorageConformanceTests : GrainStorageConformance
{
    protected override int MaxPayloadBytes => 8 * 1024 * 1024;

    // Orleans' AzureBlobGrainStorage 10.4.2 (docs/storage.md, "Orleans' Azure providers and the storage contract"):
    // its conflicts carry "Unknown" as the stored ETag and name the blob; it names a blob "{state}-{type}/{key}.json"; it checks no
    // argument and has no size limit of its own. Azurite 3.37.0 ignores If-None-Match on Delete Blob, so a clear
    // without an ETag deletes a record there (Azure documents the condition for Delete Blob).
    protected override GrainStorageDifferences Differences =>
        GrainStorageDifferences.ConflictsDoNotReportTheStoredETag
        | GrainStorageDifferences.ClearWithNullETagDeletesAnExistingRecord
        | GrainStorageDifferences.TypeAndKeyJoinedWithSlash
        | GrainStorageDifferences.NoArgumentValidation
        | GrainStorageDifferences.NoPayloadLimit
        | GrainStorageDifferences.ConflictsNameTheBlob;

    protected override async Task<IGrainStorage> CreateStorageAsync() =>
        await AzureTestStores.StartedBlobStorageAsync(await AzuriteServer.SharedAsync(), AzureTestStores.UniqueName("conformance"));
}
