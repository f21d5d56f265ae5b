namespace HelaMem.Grains.Hosting;

/// <summary>Names a host needs to compose the memory grains.</summary>
public static class HelaMemGrains
{
    /// <summary>
    /// The grain storage every memory grain keeps its state in (<c>[PersistentState(..., StorageName)]</c>). A silo must
    /// register a storage under this name: the embedded SQLite store, or a cluster store chosen by the deployment.
    /// </summary>
    public const string StorageName = "helamem";

    /// <summary>The grain types of the memory grains: the keys of every one but the tenant's start with <c>tenant/</c>.</summary>
    public static IReadOnlySet<string> GrainTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "user-graph", "memory-node", "consolidation", "semantic-memory", "tenant",
    };
}
