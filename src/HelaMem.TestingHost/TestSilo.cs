using HelaMem.Runtime;
using HelaMem.Runtime.Hosting;

namespace HelaMem.TestingHost;

/// <summary>One silo of a <see cref="TestCluster"/>.</summary>
public sealed class TestSilo
{
    internal TestSilo(int index, string name, Silo silo)
    {
        Index = index;
        Name = name;
        Silo = silo;
    }

    /// <summary>The silo's position in the cluster's creation order (kept across restarts).</summary>
    public int Index { get; }

    /// <summary>The silo's endpoint name (kept across restarts, so it gets its grains back).</summary>
    public string Name { get; }

    /// <summary>The runtime silo.</summary>
    public Silo Silo { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => Silo.Services;

    /// <summary>A grain factory whose calls enter the cluster through this silo.</summary>
    public IGrainFactory GrainFactory => Silo.GrainFactory;

    /// <summary>Whether the silo is serving (not stopped or killed).</summary>
    public bool IsRunning => Silo.Status == HelaMem.Runtime.Membership.SiloStatus.Active;

    /// <inheritdoc />
    public override string ToString() => Silo.Address.ToString();
}
