using HelaMem.Abstractions.Contracts;
using Orleans;
using Orleans.Concurrency;

namespace HelaMem.Abstractions.Grains;

/// <summary>
/// Reflective consolidation of one user graph (key <c>tenant/user</c>): a durable reminder wakes it (the grain class implements Orleans' IRemindable); it distills
/// pending hubs into semantic memory and runs the forgetting sweep (archive, never delete).
/// </summary>
[Alias("helamem.IConsolidationGrain")]
public interface IConsolidationGrain : IGrainWithStringKey
{
    /// <summary>A node's summed edge weight crossed δ_hub (sent by the node).</summary>
    [OneWay]
    Task ReportHub(long node);

    /// <summary>Makes sure the durable reminder is registered (idempotent).</summary>
    /// <remarks>
    /// Always interleaved: the user graph sends it from an ingest while a consolidation run may be waiting for that
    /// graph's snapshot; it only reads and registers the reminder, which is idempotent.
    /// </remarks>
    [AlwaysInterleave]
    Task EnsureScheduled();

    /// <summary>
    /// Runs consolidation now (operators, tests): distills pending hubs and, when <paramref name="forget"/>, runs the
    /// forgetting sweep with <paramref name="now"/> as the current time.
    /// </summary>
    Task<ConsolidationReport> RunNow(DateTimeOffset now, bool forget);

    /// <summary>Pending and distilled hubs, runs, reminder.</summary>
    [ReadOnly]
    Task<ConsolidationStatus> Status();

    /// <summary>Removes the reminder and the state (part of a user delete).</summary>
    /// <remarks>
    /// Always interleaved: a run may be waiting minutes on an LLM distiller, and a user delete must not wait for it (nor
    /// time out). The run is stopped (its provider call cancelled, nothing it did written) and Clear waits for it to end
    /// before it clears the state.
    /// </remarks>
    [AlwaysInterleave]
    Task Clear();
}
