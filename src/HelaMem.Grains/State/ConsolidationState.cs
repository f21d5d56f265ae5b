using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.State;

/// <summary>The persistent state of a consolidation grain.</summary>
public sealed class ConsolidationState
{
    /// <summary>Hubs waiting for distillation.</summary>
    public SortedSet<long> PendingHubs { get; set; } = [];

    /// <summary>Hubs already distilled.</summary>
    public SortedSet<long> DistilledHubs { get; set; } = [];

    /// <summary>Completed runs.</summary>
    public long Runs { get; set; }

    /// <summary>The last run's report.</summary>
    public ConsolidationReport? LastRun { get; set; }
}
