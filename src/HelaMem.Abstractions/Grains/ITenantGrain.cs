using HelaMem.Abstractions.Contracts;
using Orleans;
using Orleans.Concurrency;

namespace HelaMem.Abstractions.Grains;

/// <summary>
/// A tenant (key: the tenant id): settings, quotas, usage counters and the list of its memory owners. An owner is a
/// user, an agent or a run; the methods below name it by its key segment (<see cref="Keys.MemoryOwner.Segment"/>:
/// <c>alice</c>, <c>agent~bot</c>, <c>run~r1</c>), and every owner counts toward <see cref="TenantSettings.MaxUsers"/>.
/// </summary>
[Alias("helamem.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Replaces the settings; throws <see cref="ArgumentException"/> for invalid values, changing nothing.</summary>
    Task Configure(TenantSettings settings);

    /// <summary>The settings (defaults when never configured).</summary>
    [ReadOnly]
    Task<TenantSettings> Settings();

    /// <summary>
    /// The retrieval profile a user graph created now gets: the tenant's <see cref="TenantSettings.Profile"/>, or the
    /// silo's default when the tenant has none ("paper" on a silo that configures no default).
    /// </summary>
    [ReadOnly]
    Task<string> RetrievalProfile();

    /// <summary>The usage counters.</summary>
    [ReadOnly]
    Task<TenantUsage> Usage();

    /// <summary>
    /// Checks an ingest of <paramref name="messages"/> messages by <paramref name="user"/> against the quotas and counts
    /// it; throws <see cref="InvalidOperationException"/> (quota exceeded) or <see cref="ArgumentException"/>, counting nothing.
    /// </summary>
    Task AdmitIngest(string user, int messages, bool newUser);

    /// <summary>Counts retrievals (user graphs report them in batches, with their periodic flush).</summary>
    [OneWay]
    Task CountRetrievals(long count);

    /// <summary>
    /// Whether <paramref name="user"/> has a memory graph, answered from the tenant's user list without activating
    /// the graph: true (listed), false (not listed, and the list is complete), or null when the tenant had users
    /// before it kept the list and this one is not in it (the caller must ask the graph).
    /// </summary>
    [ReadOnly]
    Task<bool?> HasUser(string user);

    /// <summary>Counts a consolidation run of one of the tenant's owners and the semantic items it added (sent by the consolidation grain).</summary>
    [OneWay]
    Task CountConsolidation(int itemsAdded);

    /// <summary>Takes semantic items deleted with their owner off the tenant's count.</summary>
    [OneWay]
    Task CountSemanticItemsRemoved(int items);

    /// <summary>Counts a deleted user and takes it off the tenant's user list.</summary>
    Task UserDeleted(string user);

    /// <summary>
    /// A page of the tenant's owners ordered by (scope, id): users, then agents, then runs, each by id (ordinal); the
    /// page starts after the owner segment <paramref name="after"/> (null: at the beginning) and holds at most
    /// <paramref name="limit"/> (1 … 10,000) owners. Throws <see cref="ArgumentException"/> for an invalid segment or limit.
    /// </summary>
    [ReadOnly]
    Task<OwnerListPage> ListOwners(string? after, int limit);

    /// <summary>
    /// Marks the tenant as being deleted (durably): from now on every ingest is refused with
    /// <see cref="TenantDeletingException"/>, so no owner is added while the caller deletes the listed ones. Idempotent.
    /// </summary>
    Task BeginDelete();

    /// <summary>Removes the tenant's stored state (settings, counters, owner list, the deletion mark): a tenant created again starts empty.</summary>
    Task Clear();
}
