namespace HelaMem.Grains.Hosting;

/// <summary>
/// Which grain types the <see cref="TenantIsolationFilter"/> guards: grains whose key is <c>tenant</c> or starts with
/// <c>tenant/</c>. The memory grains are always guarded; a host adds its own tenant-keyed grain types (the HelaMem silo
/// adds its tenant access and annotation grains). Other grains (Orleans' own, a host's global ones) are not tenant-keyed.
/// </summary>
public sealed class TenantIsolationOptions
{
    /// <summary>The guarded grain types.</summary>
    public ISet<string> GrainTypes { get; } = new HashSet<string>(HelaMemGrains.GrainTypes, StringComparer.Ordinal);
}
