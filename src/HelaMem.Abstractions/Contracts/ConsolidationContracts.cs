namespace HelaMem.Abstractions.Contracts;

/// <summary>What one consolidation run did.</summary>
/// <param name="HubsPending">Hubs that were waiting when the run started.</param>
/// <param name="HubsDistilled">Hubs distilled in this run.</param>
/// <param name="ItemsAdded">New semantic items.</param>
/// <param name="NodesArchived">Nodes the forgetting sweep archived.</param>
/// <param name="CompletedAt">When the run finished.</param>
public sealed record ConsolidationReport(int HubsPending, int HubsDistilled, int ItemsAdded, int NodesArchived, DateTimeOffset CompletedAt);

/// <summary>The consolidation grain's state for operators and tests.</summary>
/// <param name="PendingHubs">Hub node ids waiting for distillation.</param>
/// <param name="DistilledHubs">Hub node ids already distilled.</param>
/// <param name="Runs">Completed runs.</param>
/// <param name="LastRun">The last run's report, or null.</param>
/// <param name="ReminderActive">Whether the durable reminder is registered.</param>
public sealed record ConsolidationStatus(IReadOnlyList<long> PendingHubs, IReadOnlyList<long> DistilledHubs, long Runs, ConsolidationReport? LastRun, bool ReminderActive);

/// <summary>A semantic item with its embedding, as consolidation merges it.</summary>
/// <param name="Item">The item.</param>
/// <param name="Embedding">Its unit embedding (common component removed).</param>
public sealed record SemanticEntry(SemanticItemData Item, IReadOnlyList<float> Embedding);

/// <summary>The semantic items closest to a query.</summary>
/// <param name="Knowledge">Facts and agent knowledge, best first.</param>
/// <param name="Profile">Profile items, best first.</param>
public sealed record SemanticSearchResult(IReadOnlyList<SemanticItemData> Knowledge, IReadOnlyList<SemanticItemData> Profile);
