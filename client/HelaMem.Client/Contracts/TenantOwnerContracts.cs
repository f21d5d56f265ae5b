namespace HelaMem.Client.Contracts;

/// <summary>One memory owner of a tenant, as the operator's listing shows it.</summary>
/// <param name="Scope">"user", "agent" or "run".</param>
/// <param name="Id">The owner's id within its scope.</param>
public sealed record OwnerSummary(string Scope, string Id);

/// <summary>A page of a tenant's memory owners, ordered by (scope, id): users, agents, runs, each by id (ordinal).</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Items">The owners.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last page.</param>
/// <param name="Complete">
/// Whether the tenant's owner list names every owner: false only for a tenant stored before HelaMem kept the list
/// (before 2026-11-21) that had users then; those not seen since are missing from the listing.
/// </param>
public sealed record OwnerPage(string Tenant, IReadOnlyList<OwnerSummary> Items, string? NextCursor, bool Complete);

/// <summary>How many owners of each scope a tenant delete removed.</summary>
/// <param name="Users">Users.</param>
/// <param name="Agents">Agents.</param>
/// <param name="Runs">Runs.</param>
public sealed record OwnerCounts(long Users, long Agents, long Runs);

/// <summary>Proof of a tenant's delete: every owner's memory, every key and the tenant's own records are gone.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="OwnersDeleted">Owners deleted, by scope.</param>
/// <param name="NodesDeleted">Memories deleted.</param>
/// <param name="SemanticItemsDeleted">Semantic items deleted.</param>
/// <param name="KeysRevoked">API keys that were still active.</param>
/// <param name="DeletedAt">When the delete completed.</param>
public sealed record TenantDeletionReceipt(string Tenant, OwnerCounts OwnersDeleted, long NodesDeleted, long SemanticItemsDeleted, int KeysRevoked, DateTimeOffset DeletedAt);
