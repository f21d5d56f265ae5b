using HelaMem.Core;
using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Runtime;
using HelaMem.TestingHost;

namespace HelaMem.Grains.Tests.Fixtures;

/// <summary>A test cluster with the memory grains, a deterministic embedder and test-friendly periods.</summary>
internal sealed class MemoryCluster : IAsyncDisposable
{
    private MemoryCluster(TestCluster cluster, ISentenceEmbedder embedder, HelaMemOptions algorithm)
    {
        Cluster = cluster;
        Embedder = embedder;
        Algorithm = algorithm;
    }

    public TestCluster Cluster { get; }

    public ISentenceEmbedder Embedder { get; }

    public HelaMemOptions Algorithm { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public static async Task<MemoryCluster> StartAsync(
        HelaMemOptions? algorithm = null,
        int silos = 1,
        string? sqliteDirectory = null,
        Action<HelaMemGrainOptions>? configure = null)
    {
        var embedder = new HashingEmbedder();
        var options = algorithm ?? HelaMemOptions.Default;
        var builder = new TestClusterBuilder()
            .WithSiloCount(silos)
            .AddGrainAssembly(HelaMemGrains.Assembly)
            .ConfigureSilo(silo => silo.AddHelaMemGrains(o =>
            {
                o.Algorithm = options;
                o.WeightFlushInterval = TimeSpan.FromMilliseconds(100);
                o.ConsolidationPeriod = TimeSpan.FromMinutes(5);
                configure?.Invoke(o);
            }, embedder))
            .ConfigureOptions(o =>
            {
                o.ResponseTimeoutGranularity = TimeSpan.FromMilliseconds(20);
                o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);
                o.ReminderRefreshPeriod = TimeSpan.FromMilliseconds(200);
            });
        if (sqliteDirectory is not null)
        {
            builder.UseSqliteStorage(sqliteDirectory);
        }

        return new MemoryCluster(await builder.DeployAsync(), embedder, options);
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
