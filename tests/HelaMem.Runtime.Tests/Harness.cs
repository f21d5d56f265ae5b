using HelaMem.Runtime.Hosting;
using HelaMem.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace HelaMem.Runtime.Tests;

/// <summary>A test cluster with a fresh probe and short, test-friendly periods; disposing it stops every silo.</summary>
internal sealed class Harness : IAsyncDisposable
{
    private Harness(TestCluster cluster, TestProbe probe)
    {
        Cluster = cluster;
        Probe = probe;
    }

    public TestCluster Cluster { get; }

    public TestProbe Probe { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public static async Task<Harness> StartAsync(int silos = 1, Action<SiloOptions>? options = null, Action<TestClusterBuilder>? configure = null)
    {
        var probe = new TestProbe();
        var builder = new TestClusterBuilder()
            .WithSiloCount(silos)
            .ConfigureSilo(silo => silo.Services.AddSingleton(probe))
            .ConfigureOptions(o =>
            {
                o.ResponseTimeoutGranularity = TimeSpan.FromMilliseconds(20);
                o.CollectionQuantum = TimeSpan.FromMilliseconds(50);
                o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);
                o.ReminderRefreshPeriod = TimeSpan.FromMilliseconds(200);
                options?.Invoke(o);
            });
        configure?.Invoke(builder);
        return new Harness(await builder.DeployAsync(), probe);
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
