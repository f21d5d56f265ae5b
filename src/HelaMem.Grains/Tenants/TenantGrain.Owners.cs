using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Keys;
using HelaMem.Grains.State;

namespace HelaMem.Grains.Tenants;

/// <summary>Listing the tenant's owners page by page, and the tenant's own part of deleting the tenant.</summary>
public sealed partial class TenantGrain
{
    /// <summary>The largest page <see cref="ListOwners"/> gives.</summary>
    public const int MaxOwnerPage = 10_000;

    // The owner list in (scope, id) order, built on the first page asked for and dropped when the list changes, so
    // walking a large tenant page by page sorts it once.
    private MemoryOwner[]? _sortedOwners;

    /// <inheritdoc />
    public Task<OwnerListPage> ListOwners(string? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxOwnerPage);
        var owners = _sortedOwners ??= [.. UserIds.Select(segment => MemoryOwner.Parse(segment)).Order(OwnerOrder.Instance)];
        var start = 0;
        if (after is not null)
        {
            var index = Array.BinarySearch(owners, MemoryOwner.Parse(after, nameof(after)), OwnerOrder.Instance);
            start = index >= 0 ? index + 1 : ~index;
        }

        var count = Math.Min(limit, owners.Length - start);
        string[] page = [.. owners.Skip(start).Take(count).Select(owner => owner.Segment)];
        return Task.FromResult(new OwnerListPage(page, start + count < owners.Length, Tenant.UserListComplete));
    }

    /// <inheritdoc />
    public async Task BeginDelete()
    {
        if (!Tenant.Deleting)
        {
            Tenant.Deleting = true;
            await stored.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task Clear()
    {
        await stored.ClearStateAsync();
        stored.State = new TenantState { UserIds = new HashSet<string>(StringComparer.Ordinal), UserListComplete = true };
        _sortedOwners = null;
        DeactivateOnIdle();
    }

    /// <summary>(scope, id): users, agents, runs, each by ordinal id.</summary>
    private sealed class OwnerOrder : IComparer<MemoryOwner>
    {
        public static readonly OwnerOrder Instance = new();

        public int Compare(MemoryOwner x, MemoryOwner y)
        {
            var scope = x.Scope.CompareTo(y.Scope);
            return scope != 0 ? scope : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
