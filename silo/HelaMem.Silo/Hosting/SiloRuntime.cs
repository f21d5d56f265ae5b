using HelaMem.Core.Text;
using Orleans.Runtime;

namespace HelaMem.Silo.Hosting;

/// <summary>What the API and the operator routes need to know about the Orleans silo this process hosts.</summary>
internal sealed class SiloRuntime(ServiceOptions options, ISentenceEmbedder embedder, ILocalSiloDetails local, ISiloStatusOracle status)
{
    /// <summary>The absolute data directory (SQLite grain state and reminders, the operator key).</summary>
    public string DataDirectory { get; } = options.DataDirectory;

    /// <summary>The deployment profile (HelaMem:Cluster:Profile): where membership, grain state and reminders live.</summary>
    public string DeploymentProfile { get; } = options.Cluster.Profile;

    /// <summary>The sentence embedder the grains use.</summary>
    public ISentenceEmbedder Embedder { get; } = embedder;

    /// <summary>This silo's address in the cluster.</summary>
    public SiloAddress Address => local.SiloAddress;

    /// <summary>This silo's membership status (Active once it serves grain calls).</summary>
    public SiloStatus Status => status.CurrentStatus;

    /// <summary>Whether the silo serves grain calls.</summary>
    public bool IsReady => status.CurrentStatus == SiloStatus.Active;
}
