using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>What one consolidation run did.</summary>
/// <param name="HubsPending">Hubs that were waiting when the run started.</param>
/// <param name="HubsDistilled">Hubs distilled in this run.</param>
/// <param name="ItemsAdded">New semantic items.</param>
/// <param name="NodesArchived">Nodes the forgetting sweep archived.</param>
/// <param name="CompletedAt">When the run finished.</param>
/// <param name="TurnsDistilled">New turns the turn trigger distilled in this run.</param>
/// <param name="TurnsPending">New turns still waiting (a session still open, fewer than N turns, or a deferred distillation).</param>
/// <param name="Deferred">The distiller could not distill now (provider unavailable, unusable answer): what it had is pending.</param>
[GenerateSerializer, Immutable, Alias("helamem.ConsolidationReport")]
public sealed record ConsolidationReport(
    [Id(0)] int HubsPending,
    [Id(1)] int HubsDistilled,
    [Id(2)] int ItemsAdded,
    [Id(3)] int NodesArchived,
    [Id(4)] DateTimeOffset CompletedAt,
    [Id(5)] int TurnsDistilled = 0,
    [Id(6)] int TurnsPending = 0,
    [Id(7)] bool Deferred = false);

/// <summary>The consolidation grain's state for operators and tests.</summary>
/// <param name="PendingHubs">Hub node ids waiting for distillation.</param>
/// <param name="DistilledHubs">Hub node ids already distilled.</param>
/// <param name="Runs">Completed runs.</param>
/// <param name="LastRun">The last run's report, or null.</param>
/// <param name="ReminderActive">Whether the durable reminder is registered.</param>
[GenerateSerializer, Immutable, Alias("helamem.ConsolidationStatus")]
public sealed record ConsolidationStatus([Id(0)] IReadOnlyList<long> PendingHubs, [Id(1)] IReadOnlyList<long> DistilledHubs, [Id(2)] long Runs, [Id(3)] ConsolidationReport? LastRun, [Id(4)] bool ReminderActive);

/// <summary>A semantic item with its embedding, as consolidation merges it.</summary>
/// <param name="Item">The item.</param>
/// <param name="Embedding">Its unit embedding (common component removed).</param>
[GenerateSerializer, Immutable, Alias("helamem.SemanticEntry")]
public sealed record SemanticEntry([Id(0)] SemanticItemData Item, [Id(1)] IReadOnlyList<float> Embedding);

/// <summary>The semantic items closest to a query.</summary>
/// <param name="Knowledge">Facts and agent knowledge, best first.</param>
/// <param name="Profile">Profile items, best first.</param>
[GenerateSerializer, Immutable, Alias("helamem.SemanticSearchResult")]
public sealed record SemanticSearchResult([Id(0)] IReadOnlyList<SemanticItemData> Knowledge, [Id(1)] IReadOnlyList<SemanticItemData> Profile);
