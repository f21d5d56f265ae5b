using System.Net;
using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Tenants;
using HelaMem.Persistence.Sqlite;
using Orleans.Configuration;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// The Orleans silo inside the web host (one process, one container): localhost clustering, the embedded SQLite
/// grain storage and reminder table in the data directory, the memory grains with the offline embedder and the
/// extractive distiller, the tenant isolation filter guarding the silo's own tenant-keyed grains too.
/// </summary>
internal static class OrleansSetup
{
    /// <summary>The grain types of the silo's own grains whose keys start with the tenant.</summary>
    public static readonly string[] TenantKeyedSiloGrains = ["tenant-access", "memory-annotations", "ingest-jobs"];

    public static void Configure(ISiloBuilder silo, ServiceOptions options)
    {
        var cluster = options.Cluster;
        silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = IPAddress.Loopback;
            endpoints.SiloPort = cluster.SiloPort;

            // 0: no gateway. The HTTP API is the service's front door; an Orleans client only connects when one is set.
            endpoints.GatewayPort = cluster.GatewayPort;
        });
        silo.Configure<SiloOptions>(o => o.SiloName = "silo-0");

        // Grain calls carry the caller's trace (the HTTP request's), so a trace follows a request into the grains.
        silo.AddActivityPropagation();
        silo.AddSqliteGrainStorage(HelaMemGrains.StorageName, o => o.DataDirectory = options.DataDirectory);
        silo.UseSqliteReminderService(o => o.DataDirectory = options.DataDirectory);

        // Registered before AddHelaMemGrains, which adds its own default only when none is registered.
        silo.Services.AddSingleton<ISentenceEmbedder>(services =>
            OfflineEmbedder.Create(options.EmbeddingCacheDirectory, services.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Embeddings")));
        silo.AddHelaMemGrains(grains => grains.ConsolidationPeriod = TimeSpan.FromMinutes(options.ConsolidationPeriodMinutes));
        silo.Services.Configure<TenantIsolationOptions>(isolation =>
        {
            foreach (var type in TenantKeyedSiloGrains)
            {
                isolation.GrainTypes.Add(type);
            }
        });

        // Read by the tenant grain for tenants without a profile of their own (validated with the other settings).
        silo.Services.AddSingleton(new DefaultRetrievalProfile(options.Retrieval.Profile));
    }
}
