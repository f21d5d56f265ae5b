using HelaMem.Grains.Embedding;
using Orleans.Runtime;

namespace HelaMem.Silo.Hosting;

/// <summary>What the API and the operator routes need to know about the Orleans silo this process hosts.</summary>
internal sealed class SiloRuntime(ServiceOptions options, IGraphEmbedder embedder, ILocalSiloDetails local, ISiloStatusOracle status)
{
    /// <summary>The absolute data directory (SQLite grain state and reminders, the operator key).</summary>
    public string DataDirectory { get; } = options.DataDirectory;

    /// <summary>The deployment profile (HelaMem:Cluster:Profile): where membership, grain state and reminders live.</summary>
    public string DeploymentProfile { get; } = options.Cluster.Profile;

    /// <summary>The embedder the grains use (its name is the silo's; a remote one may name another model for a tenant with an override).</summary>
    public IGraphEmbedder Embedder { get; } = embedder;

    /// <summary>Whether the grains embed with the hashing fallback (GloVe-SIF was asked for, but its cache is missing).</summary>
    public bool EmbedsWithHashingFallback => Embedder is SentenceGraphEmbedder { Embedder: HelaMem.Embeddings.HashingEmbedder };

    /// <summary>This silo's address in the cluster.</summary>
    public SiloAddress Address => local.SiloAddress;

    /// <summary>This silo's membership status (Active once it serves grain calls).</summary>
    public SiloStatus Status => status.CurrentStatus;

    /// <summary>Whether the silo serves grain calls.</summary>
    public bool IsReady => status.CurrentStatus == SiloStatus.Active;
}
