using Azure.Data.Tables;
using HelaMem.Persistence.Tests.Conformance;
using HelaMem.TestSupport.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Clustering.AzureStorage;
using Orleans.Configuration;

namespace HelaMem.Persistence.Tests.Azure;

/// <summary>
/// The membership conformance suite (20 concurrent writers with one winner per version, stale versions and ETags
/// refused, I-am-alive, cleanup) on Orleans' Azure Table membership, on Azurite: the azure profile's membership.
/// </summary>
public sealed class AzureTableMembershipConformanceTests : MembershipTableConformance
{
    // Orleans keeps the table internal (it registers it through UseAzureStorageClustering); it is built here as that
    // registration builds it, from its options.
    private static readonly Type TableType = typeof(AzureStorageClusteringOptions).Assembly.GetType("Orleans.Runtime.MembershipService.AzureBasedMembershipTable", throwOnError: true)!;

    private readonly string _tableName = AzureTestStores.UniqueName("membership");

    protected override MembershipTableDifferences Differences =>
        MembershipTableDifferences.MalformedVersionETagInsertThrows | MembershipTableDifferences.RowETagNotCheckedInTransactions | MembershipTableDifferences.DeletedClusterUnreadableUntilInitialized;

    protected override async Task<IMembershipTable> CreateTableAsync(string clusterId)
    {
        var server = await AzuriteServer.SharedAsync();
        var clustering = Options.Create(new AzureStorageClusteringOptions { TableServiceClient = new TableServiceClient(server.ConnectionString), TableName = _tableName });
        var cluster = Options.Create(new ClusterOptions { ServiceId = "conformance", ClusterId = clusterId });
        return (IMembershipTable)Activator.CreateInstance(TableType, NullLoggerFactory.Instance, clustering, cluster)!;
    }
}
