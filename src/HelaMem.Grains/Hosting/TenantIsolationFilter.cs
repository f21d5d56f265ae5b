using HelaMem.Runtime.Filters;

namespace HelaMem.Grains.Hosting;

/// <summary>
/// Rejects a call to a memory grain of another tenant (design §6): when the call chain acts for a tenant
/// (<c>RequestContext.Tenant</c>, set from authentication by the silo's API), the target's key must belong to that
/// tenant. Calls without a tenant (runtime reminders, timers, operators, tests) pass.
/// </summary>
public sealed class TenantIsolationFilter : IIncomingGrainCallFilter
{
    private static readonly HashSet<string> MemoryGrainTypes = new(StringComparer.Ordinal)
    {
        "user-graph", "memory-node", "consolidation", "semantic-memory", "tenant",
    };

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tenant = context.RequestContext?.Tenant;
        var target = context.TargetId;
        if (tenant is not null && MemoryGrainTypes.Contains(target.Type) && !BelongsTo(target.Key, tenant))
        {
            throw new UnauthorizedAccessException($"Tenant '{tenant}' may not call {target.Type} '{target.Key}': it belongs to another tenant.");
        }

        return context.Invoke();
    }

    private static bool BelongsTo(string key, string tenant) =>
        key.Length == tenant.Length
            ? string.Equals(key, tenant, StringComparison.Ordinal)
            : key.Length > tenant.Length && key[tenant.Length] == '/' && key.StartsWith(tenant, StringComparison.Ordinal);
}
