using System.Net;
using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Distillation;
using HelaMem.Grains.Embedding;
using HelaMem.Grains.Hosting;
using HelaMem.Silo.Distillation;
using HelaMem.Silo.Embedding;
using HelaMem.Grains.Tenants;
using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Sqlite;
using Orleans.Hosting.Kubernetes;
using Orleans.Configuration;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// The Orleans silo inside the web host: the deployment profile's clustering, grain storage and reminder table (one
/// method per profile), the memory grains with the offline embedder and the extractive distiller, the tenant isolation
/// filter guarding the silo's own tenant-keyed grains too.
/// </summary>
internal static class OrleansSetup
{
    /// <summary>The grain types of the silo's own grains whose keys start with the tenant.</summary>
    public static readonly string[] TenantKeyedSiloGrains = ["tenant-access", "memory-annotations", "ingest-jobs"];

    public static void Configure(ISiloBuilder silo, ServiceOptions options)
    {
        switch (options.Cluster.Profile)
        {
            case DeploymentProfiles.Embedded:
                ConfigureEmbedded(silo, options);
                break;
            case DeploymentProfiles.Azure:
                ConfigureAzure(silo, options);
                break;
            case DeploymentProfiles.Postgres:
                ConfigurePostgres(silo, options);
                break;
            default:
                throw new InvalidOperationException($"HelaMem:Cluster:Profile '{options.Cluster.Profile}' should have been refused by the start-up validation.");
        }

        ConfigureGrains(silo, options);
    }

    /// <summary>One silo on loopback (localhost clustering), SQLite grain state and reminders in the data directory.</summary>
    private static void ConfigureEmbedded(ISiloBuilder silo, ServiceOptions options)
    {
        var cluster = options.Cluster;
        silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        ConfigureEndpoints(silo, cluster);
        silo.AddSqliteGrainStorage(HelaMemGrains.StorageName, o => o.DataDirectory = options.DataDirectory);
        silo.UseSqliteReminderService(o => o.DataDirectory = options.DataDirectory);
    }

    /// <summary>
    /// Orleans' Azure Storage providers: membership and reminders in Table storage, the grains' state as blobs in the
    /// HelaMem JSON format (the SQLite provider's, so a state moves between the profiles unchanged). The names of the
    /// tables and the container come from the service id (<see cref="AzureStorageNames"/>).
    /// </summary>
    private static void ConfigureAzure(ISiloBuilder silo, ServiceOptions options)
    {
        var cluster = options.Cluster;
        var names = AzureStorageNames.For(cluster.ServiceId);
        var clients = AzureStorageClients.Create(options.Azure);
        ConfigureMultiHostCluster(silo, cluster);
        silo.UseAzureStorageClustering(o =>
        {
            o.TableServiceClient = clients.Tables;
            o.TableName = names.MembershipTable;
        });
        silo.AddAzureBlobGrainStorage(HelaMemGrains.StorageName, o =>
        {
            o.BlobServiceClient = clients.Blobs;
            o.ContainerName = names.GrainContainer;
            o.GrainStorageSerializer = new HelaMemJsonGrainStorageSerializer();
        });
        silo.UseAzureTableReminderService(o =>
        {
            o.TableServiceClient = clients.Tables;
            o.TableName = names.RemindersTable;
        });
    }

    /// <summary>
    /// HelaMem's PostgreSQL providers (src/HelaMem.Persistence.Postgres): membership, grain state in the HelaMem JSON
    /// format (the SQLite provider's, so a state moves between the profiles unchanged) and reminders, in one database.
    /// </summary>
    private static void ConfigurePostgres(ISiloBuilder silo, ServiceOptions options)
    {
        var connectionString = options.Postgres.ConnectionString!;
        ConfigureMultiHostCluster(silo, options.Cluster);
        silo.UsePostgresClustering(o => o.ConnectionString = connectionString);
        silo.AddPostgresGrainStorage(HelaMemGrains.StorageName, o =>
        {
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new HelaMemJsonGrainStorageSerializer();
        });
        silo.UsePostgresReminderService(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Service and cluster ids, the endpoints and membership timings of a silo that joins other silos through a shared
    /// membership table, and Orleans' Kubernetes hosting when the silo runs in a pod.
    /// </summary>
    private static void ConfigureMultiHostCluster(ISiloBuilder silo, SiloClusterOptions cluster)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = cluster.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
        ConfigureEndpoints(silo, cluster);
        silo.Configure<ClusterMembershipOptions>(cluster.Membership.ApplyTo);
        if (cluster.Directory == "distributed")
        {
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10.4.2: chosen by the operator, measured in docs/runbook.md.
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        }

        if (cluster.Kubernetes)
        {
            // After our own options: it takes the pod name as the silo name (the manifests set the same) and, for an
            // unset advertised address, the pod IP (the manifests set HelaMem:Cluster:AdvertisedAddress to it).
            silo.UseKubernetesHosting();
        }
    }

    private static void ConfigureEndpoints(ISiloBuilder silo, SiloClusterOptions cluster)
    {
        var advertised = cluster.AdvertisedIPAddress;
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = advertised;
            endpoints.SiloPort = cluster.SiloPort;

            // 0: no gateway. The HTTP API is the service's front door; an Orleans client only connects when one is set.
            endpoints.GatewayPort = cluster.GatewayPort;
            if (cluster.ListensOnAllInterfaces)
            {
                // Behind NAT or in a container the advertised address is not one of this host's own: listen on all.
                endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.SiloPort);
                if (cluster.GatewayPort > 0)
                {
                    endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.GatewayPort);
                }
            }
        });
        silo.Configure<SiloOptions>(o => o.SiloName = cluster.EffectiveSiloName);
    }

    /// <summary>What every profile shares: tracing, the embedder, the memory grains, tenant isolation, the default retrieval profile.</summary>
    private static void ConfigureGrains(ISiloBuilder silo, ServiceOptions options)
    {
        // Grain calls carry the caller's trace (the HTTP request's), so a trace follows a request into the grains.
        silo.AddActivityPropagation();
        silo.AddIncomingGrainCallFilter<StorageOutageFilter>();

        // Registered before AddHelaMemGrains, which adds its own defaults only when none is registered: a local embedder
        // (which the grains use through SentenceGraphEmbedder), or the remote one, which embeds through the provider.
        if (options.Embedder == EmbedderSettings.Remote)
        {
            silo.Services.AddSingleton<IGraphEmbedder, RemoteGraphEmbedder>();
        }
        else
        {
            silo.Services.AddSingleton<ISentenceEmbedder>(services =>
                EmbedderSettings.Create(options, services.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Embeddings")));
        }

        // With a chat model configured, consolidation distills with it (the paper's extraction); else extractively.
        if (options.Llm.Enabled)
        {
            silo.Services.AddSingleton<IDistiller, LlmDistiller>();
        }

        silo.AddHelaMemGrains(grains =>
        {
            grains.ConsolidationPeriod = TimeSpan.FromMinutes(options.ConsolidationPeriodMinutes);
            grains.ConsolidateEveryTurns = options.ConsolidateEveryTurns;
            grains.SessionGap = TimeSpan.FromMinutes(options.SessionGapMinutes);
        });
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
