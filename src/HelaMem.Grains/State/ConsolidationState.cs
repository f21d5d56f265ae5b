using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.State;

/// <summary>The persistent state of a consolidation grain.</summary>
public sealed class ConsolidationState
{
    /// <summary>Hubs waiting for distillation.</summary>
    public SortedSet<long> PendingHubs { get; set; } = [];

    /// <summary>Hubs already distilled.</summary>
    public SortedSet<long> DistilledHubs { get; set; } = [];

    /// <summary>
    /// Every turn up to this node id has been distilled by the turn trigger (−1: none yet). Node ids grow with ingest
    /// order, so the turns after it are the new ones.
    /// </summary>
    public long TurnsDistilledThrough { get; set; } = -1;

    /// <summary>Completed runs.</summary>
    public long Runs { get; set; }

    /// <summary>The last run's report.</summary>
    public ConsolidationReport? LastRun { get; set; }
}
