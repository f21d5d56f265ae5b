using HelaMem.Core;
using HelaMem.Core.Text;
using HelaMem.Grains.Hosting;
using HelaMem.Testing;
using Orleans.Runtime;

namespace HelaMem.Grains.Tests.Fixtures;

/// <summary>HelaMem's test kit with the settings these tests share: the algorithm under test, fast flushes.</summary>
internal sealed class MemoryCluster : IAsyncDisposable
{
    private MemoryCluster(HelaMemTestCluster kit, HelaMemOptions algorithm)
    {
        Kit = kit;
        Algorithm = algorithm;
    }

    public HelaMemTestCluster Kit { get; }

    public ISentenceEmbedder Embedder => Kit.Embedder;

    public HelaMemOptions Algorithm { get; }

    public IGrainFactory Grains => Kit.GrainFactory;

    public IGrainFactory GrainFactory => Kit.GrainFactory;

    /// <summary>A user's memory as an agent uses it.</summary>
    public HelaMem.Grains.Sessions.GrainRetrievalSession Session(string tenant, string user) => Kit.Session(tenant, user);

    /// <summary>
    /// Starts a cluster: SQLite in <paramref name="sqliteDirectory"/> when given (kept; tests restart on it), else in a
    /// temporary directory the cluster deletes. Calls time out after 10 s, so a deadlock fails a test quickly.
    /// </summary>
    public static async Task<MemoryCluster> StartAsync(
        HelaMemOptions? algorithm = null,
        short silos = 1,
        string? sqliteDirectory = null,
        Action<HelaMemGrainOptions>? configure = null,
        Action<Orleans.Hosting.ISiloBuilder>? configureSilo = null)
    {
        var options = algorithm ?? HelaMemOptions.Default;
        var builder = new HelaMemTestClusterBuilder()
            .WithSilos(silos)
            .WithResponseTimeout(TimeSpan.FromSeconds(10))
            .ConfigureGrains(o =>
            {
                o.Algorithm = options;
                o.WeightFlushInterval = TimeSpan.FromMilliseconds(100);
                o.ConsolidationPeriod = TimeSpan.FromMinutes(5);
                configure?.Invoke(o);
            });
        if (sqliteDirectory is not null)
        {
            builder.UseDataDirectory(sqliteDirectory);
        }

        if (configureSilo is not null)
        {
            builder.ConfigureSilo(configureSilo);
        }

        return new MemoryCluster(await builder.DeployAsync(), options);
    }

    /// <summary>Kills the first silo (as kill -9 of its process) and starts another on the same store.</summary>
    public Task KillAndRestartAsync() => Kit.KillAndReplaceSiloAsync(Kit.Cluster.Silos[0]);

    /// <summary>Deactivates a grain (it flushes what it holds, as on idle collection).</summary>
    public Task DeactivateAsync(IAddressable grain) => Kit.Cluster.DeactivateAsync(grain);

    /// <summary>Stops every silo gracefully: each activation deactivates and flushes.</summary>
    public Task StopAllSilosAsync() => Kit.Cluster.StopAllSilosAsync();

    public ValueTask DisposeAsync() => Kit.DisposeAsync();
}
