namespace HelaMem.Core.Consolidation;

/// <summary>What one consolidation run did.</summary>
/// <param name="HubsFound">Hubs above δ_hub.</param>
/// <param name="HubsDistilled">Hubs newly distilled in this run.</param>
/// <param name="ItemsAdded">New semantic items.</param>
public sealed record ConsolidationReport(int HubsFound, int HubsDistilled, int ItemsAdded);
