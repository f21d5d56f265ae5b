using System.Reflection;
using HelaMem.Runtime.Hosting;

namespace HelaMem.TestingHost;

/// <summary>Configures a <see cref="TestCluster"/>.</summary>
public sealed class TestClusterBuilder
{
    private readonly List<Action<int, SiloBuilder>> _siloConfigurations = [];
    private readonly List<Assembly> _assemblies = [];
    private int _siloCount = 1;
    private string? _sqliteDirectory;

    /// <summary>How many silos the cluster starts with (default 1).</summary>
    public TestClusterBuilder WithSiloCount(int siloCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(siloCount, 1);
        _siloCount = siloCount;
        return this;
    }

    /// <summary>Configures every silo (also silos started or restarted later).</summary>
    public TestClusterBuilder ConfigureSilo(Action<SiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _siloConfigurations.Add((_, builder) => configure(builder));
        return this;
    }

    /// <summary>Configures every silo, knowing its index.</summary>
    public TestClusterBuilder ConfigureSilo(Action<int, SiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _siloConfigurations.Add(configure);
        return this;
    }

    /// <summary>Changes every silo's options.</summary>
    public TestClusterBuilder ConfigureOptions(Action<SiloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _siloConfigurations.Add((_, builder) => builder.Configure(configure));
        return this;
    }

    /// <summary>
    /// Limits the grain interfaces and classes to those of <paramref name="assembly"/> (and other added ones). Not needed
    /// otherwise: by default the client and every silo use every assembly of the application with a generated grain
    /// manifest, including those no code has loaded yet.
    /// </summary>
    public TestClusterBuilder AddGrainAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>
    /// Stores grain state and reminders in SQLite under <paramref name="dataDirectory"/> instead of in memory. Each
    /// silo (and each restart of it) opens its own provider on the shared database, so restarts really re-read disk.
    /// </summary>
    public TestClusterBuilder UseSqliteStorage(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _sqliteDirectory = dataDirectory;
        return this;
    }

    /// <summary>Creates the cluster (not yet started).</summary>
    public TestCluster Build() => new(_siloCount, [.. _siloConfigurations], [.. _assemblies], _sqliteDirectory);

    /// <summary>Creates and starts the cluster.</summary>
    public async Task<TestCluster> DeployAsync()
    {
        var cluster = Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
