using Orleans.Concurrency;

namespace HelaMem.Silo.Grains;

/// <summary>The list of tenants (one activation, key <see cref="Key"/>), so operators can enumerate them.</summary>
[Alias("helamem.silo.ITenantDirectoryGrain")]
public interface ITenantDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The directory's only key.</summary>
    const string Key = "tenants";

    /// <summary>Adds a tenant id (idempotent).</summary>
    Task Add(string tenant);

    /// <summary>Removes a tenant id (idempotent).</summary>
    Task Remove(string tenant);

    /// <summary>Every tenant id, ordered.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> List();
}
