namespace HelaMem.Abstractions.Contracts;

/// <summary>A user graph's size and learning state.</summary>
/// <param name="Nodes">Nodes ever added (archived included).</param>
/// <param name="ActiveNodes">Nodes that take part in retrieval.</param>
/// <param name="ArchivedNodes">Nodes forgotten (archived).</param>
/// <param name="Step">Completed learning steps (one per retrieval).</param>
/// <param name="Retrievals">Retrievals served.</param>
public sealed record GraphStats(long Nodes, long ActiveNodes, long ArchivedNodes, long Step, long Retrievals);

/// <summary>Proof of a user's hard delete: what was removed, everywhere.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="User">The user.</param>
/// <param name="NodesDeleted">Memory nodes whose state was deleted.</param>
/// <param name="SemanticItemsDeleted">Semantic items deleted.</param>
/// <param name="DeletedAt">When the delete completed.</param>
public sealed record DeleteReceipt(string Tenant, string User, long NodesDeleted, int SemanticItemsDeleted, DateTimeOffset DeletedAt);

/// <summary>What the user graph tells the consolidation grain: its step, active nodes and common direction.</summary>
/// <param name="Step">The current learning step.</param>
/// <param name="ActiveNodes">The ids of nodes that take part in retrieval.</param>
/// <param name="CommonDirection">The common component removed from vectors (empty when none).</param>
public sealed record GraphSnapshot(long Step, IReadOnlyList<long> ActiveNodes, IReadOnlyList<float> CommonDirection);
