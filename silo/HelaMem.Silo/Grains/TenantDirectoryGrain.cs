using HelaMem.Grains.Hosting;

namespace HelaMem.Silo.Grains;

/// <summary>The list of tenants.</summary>
[GrainType("tenant-directory")]
public sealed class TenantDirectoryGrain([PersistentState("directory", HelaMemGrains.StorageName)] IPersistentState<TenantDirectoryState> stored) : Grain, ITenantDirectoryGrain
{
    /// <inheritdoc />
    public async Task Add(string tenant)
    {
        if (stored.State.Tenants.Add(tenant))
        {
            await stored.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task Remove(string tenant)
    {
        if (stored.State.Tenants.Remove(tenant))
        {
            await stored.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> List() =>
        Task.FromResult<IReadOnlyList<string>>([.. stored.State.Tenants.Order(StringComparer.Ordinal)]);
}

/// <summary>The persistent state of the tenant directory.</summary>
public sealed class TenantDirectoryState
{
    /// <summary>The tenant ids.</summary>
    public HashSet<string> Tenants { get; set; } = new(StringComparer.Ordinal);
}
