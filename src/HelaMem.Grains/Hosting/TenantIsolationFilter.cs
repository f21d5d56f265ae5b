using HelaMem.Abstractions.Tenancy;
using Microsoft.Extensions.Options;
using Orleans;

namespace HelaMem.Grains.Hosting;

/// <summary>
/// Rejects a call to a memory grain of another tenant: when the call chain acts for a tenant
/// (<see cref="TenantContext"/>, set from authentication by the silo's API and carried in Orleans' request context),
/// the target's key must belong to that tenant. Calls without a tenant (reminders, timers, operators, tests) pass, and
/// so do calls to grain types that are not tenant-keyed (<see cref="TenantIsolationOptions"/>). It runs on the silo that
/// receives the call, so a bug in a caller that builds a key from untrusted input still cannot cross tenants.
/// </summary>
public sealed class TenantIsolationFilter(IOptions<TenantIsolationOptions> options) : IIncomingGrainCallFilter
{
    private readonly ISet<string> _guarded = (options ?? throw new ArgumentNullException(nameof(options))).Value.GrainTypes;

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (TenantContext.Current is { } tenant)
        {
            var target = context.TargetId;
            var type = target.Type.ToString();
            if (type is not null && _guarded.Contains(type) && !BelongsTo(target.Key.ToString()!, tenant))
            {
                throw new UnauthorizedAccessException($"Tenant '{tenant}' may not call {type} '{target.Key}': it belongs to another tenant.");
            }
        }

        return context.Invoke();
    }

    /// <summary>Whether a grain key (<c>tenant</c> or <c>tenant/...</c>) belongs to <paramref name="tenant"/>.</summary>
    public static bool BelongsTo(string key, string tenant)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tenant);
        return key.Length == tenant.Length
            ? string.Equals(key, tenant, StringComparison.Ordinal)
            : key.Length > tenant.Length && key[tenant.Length] == '/' && key.StartsWith(tenant, StringComparison.Ordinal);
    }
}
