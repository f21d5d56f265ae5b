using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// An Orleans client's list of gateways, read from the PostgreSQL membership table: the active silos with a
/// gateway (proxy) port. The client never creates the cluster's version row; it only reads.
/// </summary>
internal sealed class PostgresGatewayListProvider(PostgresMembershipTable table, IOptions<GatewayOptions> gatewayOptions) : IGatewayListProvider
{
    public TimeSpan MaxStaleness => gatewayOptions.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => table.InitializeMembershipTable(tryInitTableVersion: false);

    public async Task<IList<Uri>> GetGateways()
    {
        var snapshot = await table.ReadAll();
        return [.. snapshot.Members
            .Select(member => member.Item1)
            .Where(entry => entry.Status == SiloStatus.Active && entry.ProxyPort != 0)
            .Select(entry => SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, entry.SiloAddress.Generation).ToGatewayUri())];
    }
}
