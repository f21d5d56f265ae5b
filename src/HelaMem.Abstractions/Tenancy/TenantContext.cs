using Orleans.Runtime;

namespace HelaMem.Abstractions.Tenancy;

/// <summary>
/// The tenant a call chain acts for, carried in Orleans' request context so it travels with every grain call the
/// chain makes. Only the HTTP layer sets it: from the authenticated API key, and for the operator routes that work
/// through one tenant's memory (listing its owners, deleting it) to the tenant they name; the tenant isolation filter
/// checks every memory grain call against it. Calls without one (reminders, timers, other operator routes, tests) are
/// not tenant-bound.
/// </summary>
public static class TenantContext
{
    /// <summary>The request-context key.</summary>
    public const string Key = "helamem-tenant";

    /// <summary>The tenant of the current call chain, or null.</summary>
    public static string? Current => RequestContext.Get(Key) as string;

    /// <summary>Makes the calls that follow, on this async flow, act for <paramref name="tenant"/>.</summary>
    public static void Set(string tenant)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        RequestContext.Set(Key, tenant);
    }

    /// <summary>Ends acting for a tenant on this async flow.</summary>
    public static void Clear() => RequestContext.Remove(Key);
}
