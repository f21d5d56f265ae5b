using HelaMem.Core.Text;
using HelaMem.Grains.Sessions;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace HelaMem.Testing;

/// <summary>
/// A running in-process Orleans cluster with HelaMem's grains (built by <see cref="HelaMemTestClusterBuilder"/>).
/// Everything Orleans' <see cref="InProcessTestCluster"/> offers is on <see cref="Cluster"/>: kill, stop, restart and
/// add silos, deactivate grains, wait for membership to settle. State lives in the shared store, so a grain whose silo
/// was killed comes back with its data on another silo (or on the restarted one).
/// </summary>
public sealed class HelaMemTestCluster : IAsyncDisposable
{
    private readonly bool _deleteDataDirectory;

    internal HelaMemTestCluster(InProcessTestCluster cluster, ISentenceEmbedder embedder, string? dataDirectory, bool deleteDataDirectory)
    {
        Cluster = cluster;
        Embedder = embedder;
        DataDirectory = dataDirectory;
        _deleteDataDirectory = deleteDataDirectory;
    }

    /// <summary>Orleans' test cluster.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster client: call any grain through it.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>The client's grain factory.</summary>
    public IGrainFactory GrainFactory => Cluster.Client;

    /// <summary>The sentence embedder every silo uses (embed queries with it to compare with the core).</summary>
    public ISentenceEmbedder Embedder { get; }

    /// <summary>The SQLite data directory every silo shares; null with Orleans' in-memory storage.</summary>
    public string? DataDirectory { get; }

    /// <summary>A user's memory as an agent uses it: ingest, retrieve, report usage, delete.</summary>
    public GrainRetrievalSession Session(string tenant, string user) => new(GrainFactory, tenant, user);

    /// <summary>
    /// Kills <paramref name="silo"/> (no deactivation, no flush: as if its process died), starts a new silo in its
    /// place and waits until the membership has declared the dead one dead. Grains of the killed silo activate again
    /// on their next call, from what the shared store acknowledged.
    /// </summary>
    public async Task<InProcessSiloHandle> KillAndReplaceSiloAsync(InProcessSiloHandle silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await Cluster.KillSiloAsync(silo);
        var replacement = await Cluster.StartAdditionalSiloAsync();
        await Cluster.WaitForLivenessToStabilizeAsync(didKill: true);
        return replacement;
    }

    /// <summary>
    /// Where every activation of the given grain types (<c>user-graph</c>, <c>memory-node</c>, ...; all types when none
    /// are given) is, from Orleans' management grain.
    /// </summary>
    public async Task<IReadOnlyDictionary<GrainId, SiloAddress>> FindActivationsAsync(params string[] grainTypes)
    {
        ArgumentNullException.ThrowIfNull(grainTypes);

        // The management grain filters by grain class name; HelaMem names grains by their grain type, so filter here.
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var statistics = await management.GetDetailedGrainStatistics();
        var found = new Dictionary<GrainId, SiloAddress>();
        foreach (var statistic in statistics)
        {
            if (grainTypes.Length == 0 || grainTypes.Contains(statistic.GrainId.Type.ToString(), StringComparer.Ordinal))
            {
                found[statistic.GrainId] = statistic.SiloAddress;
            }
        }

        return found;
    }

    /// <summary>Stops every silo and the client; deletes the data directory when the builder made a temporary one.</summary>
    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (_deleteDataDirectory && DataDirectory is not null)
        {
            HelaMemTestClusterBuilder.TryDelete(DataDirectory);
        }
    }
}
