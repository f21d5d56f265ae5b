using HelaMem.Runtime;
using HelaMem.Runtime.Filters;

namespace HelaMem.Silo.Security;

/// <summary>
/// Refuses any grain call made on behalf of a tenant (request context) to a grain whose key belongs to another
/// tenant. Every memory grain key starts with its tenant (<c>tenant</c>, <c>tenant/user</c>, <c>tenant/user/node</c>),
/// so a bug in the API that builds a key from untrusted input still cannot cross tenants. It covers every grain
/// class, the silo's own (tenant access, annotations) included; the memory grains' own isolation filter
/// (added by AddHelaMemGrains) covers only theirs.
/// </summary>
public sealed class TenantBoundaryFilter : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tenant = context.RequestContext?.Tenant;
        if (tenant is not null && !BelongsTo(context.TargetId.Key, tenant))
        {
            throw new UnauthorizedAccessException($"Tenant '{tenant}' may not call {context.TargetId.Type} '{context.TargetId.Key}'.");
        }

        return context.Invoke();
    }

    /// <summary>Whether grain key <paramref name="key"/> belongs to <paramref name="tenant"/>.</summary>
    public static bool BelongsTo(string key, string tenant)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tenant);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var owner = slash < 0 ? key : key[..slash];
        return string.Equals(owner, tenant, StringComparison.Ordinal);
    }
}
