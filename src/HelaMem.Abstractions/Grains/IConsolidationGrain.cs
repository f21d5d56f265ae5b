using HelaMem.Abstractions.Contracts;
using HelaMem.Runtime;

namespace HelaMem.Abstractions.Grains;

/// <summary>
/// Reflective consolidation of one user graph (key <c>tenant/user</c>): a durable reminder wakes it; it distills
/// pending hubs into semantic memory and runs the forgetting sweep (archive, never delete).
/// </summary>
public interface IConsolidationGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>A node's summed edge weight crossed δ_hub (sent by the node).</summary>
    [OneWay]
    Task ReportHub(long node);

    /// <summary>Makes sure the durable reminder is registered (idempotent).</summary>
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
    Task Clear();
}
