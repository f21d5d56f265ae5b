using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>A user graph's size and learning state.</summary>
/// <param name="Nodes">Nodes ever added (archived included).</param>
/// <param name="ActiveNodes">Nodes that take part in retrieval.</param>
/// <param name="ArchivedNodes">Nodes forgotten (archived).</param>
/// <param name="Step">Completed learning steps (one per retrieval).</param>
/// <param name="Retrievals">Retrievals served.</param>
[GenerateSerializer, Immutable, Alias("helamem.GraphStats")]
public sealed record GraphStats([Id(0)] long Nodes, [Id(1)] long ActiveNodes, [Id(2)] long ArchivedNodes, [Id(3)] long Step, [Id(4)] long Retrievals);

/// <summary>Proof of a user's hard delete: what was removed, everywhere.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="User">The user.</param>
/// <param name="NodesDeleted">Memory nodes whose state was deleted.</param>
/// <param name="SemanticItemsDeleted">Semantic items deleted.</param>
/// <param name="DeletedAt">When the delete completed.</param>
[GenerateSerializer, Immutable, Alias("helamem.DeleteReceipt")]
public sealed record DeleteReceipt([Id(0)] string Tenant, [Id(1)] string User, [Id(2)] long NodesDeleted, [Id(3)] int SemanticItemsDeleted, [Id(4)] DateTimeOffset DeletedAt);

/// <summary>What the user graph tells the consolidation grain: its step, active nodes and common direction.</summary>
/// <param name="Step">The current learning step.</param>
/// <param name="ActiveNodes">The ids of nodes that take part in retrieval.</param>
/// <param name="CommonDirection">The common component removed from vectors (empty when none).</param>
/// <param name="ReportedHubs">
/// Nodes reinforced since the last snapshot that have reported themselves as hubs: their one-way reports may still be on
/// their way, so consolidation takes them from here too (the core scans every node at that moment).
/// </param>
[GenerateSerializer, Immutable, Alias("helamem.GraphSnapshot")]
public sealed record GraphSnapshot([Id(0)] long Step, [Id(1)] IReadOnlyList<long> ActiveNodes, [Id(2)] IReadOnlyList<float> CommonDirection, [Id(3)] IReadOnlyList<long>? ReportedHubs = null);
