using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Messaging;

namespace HelaMem.Persistence.Postgres;

/// <summary>Lets an Orleans client (outside the silos) find the cluster's gateways in the PostgreSQL membership table.</summary>
public static class PostgresClientBuilderExtensions
{
    /// <summary>Reads the gateways of <see cref="ClusterOptions.ClusterId"/> from PostgreSQL.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder builder, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgresStorageOptions>(PostgresSiloBuilderExtensions.ClusteringOptionsName).Configure(configure);
        builder.Services.AddSingleton(static provider => new PostgresMembershipTable(
            provider.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>().Get(PostgresSiloBuilderExtensions.ClusteringOptionsName),
            provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId,
            provider.GetRequiredService<ILogger<PostgresMembershipTable>>()));
        builder.Services.AddSingleton<IGatewayListProvider>(static provider => new PostgresGatewayListProvider(
            provider.GetRequiredService<PostgresMembershipTable>(),
            provider.GetRequiredService<IOptions<GatewayOptions>>()));
        return builder;
    }
}
