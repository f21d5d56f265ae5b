using HelaMem.Persistence.Tests.Conformance;
using HelaMem.TestSupport.Azurite;
using Orleans;

namespace HelaMem.Persistence.Tests.Azure;

/// <summary>Orleans' Azure Table reminder table (the azure profile's) against the suite, on Azurite.</summary>
public sealed class AzureTableReminderTableConformanceTests : ReminderTableConformance
{
    // Orleans' AzureBasedReminderTable 10.4.2 (docs/storage.md): start times parsed back without a kind, a malformed
    // ETag sent to the table service as given (HTTP 400), no check of entries.
    protected override ReminderTableDifferences Differences =>
        ReminderTableDifferences.StartTimesComeBackUnspecified
        | ReminderTableDifferences.MalformedETagRemoveThrows
        | ReminderTableDifferences.NoArgumentValidation;

    protected override async Task<IReminderTable> CreateTableAsync() =>
        await AzureTestStores.StartedReminderTableAsync(await AzuriteServer.SharedAsync(), AzureTestStores.UniqueName("conformance"));
}
