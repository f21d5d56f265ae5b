using HelaMem.Core;

namespace HelaMem.Grains.Hosting;

/// <summary>Settings of the memory grains on a silo.</summary>
public sealed class HelaMemGrainOptions
{
    /// <summary>The algorithm's parameters (released defaults).</summary>
    public HelaMemOptions Algorithm { get; set; } = HelaMemOptions.Default;

    /// <summary>
    /// Most time a Hebbian update (and the graph's step counter) stays only in memory before it is written
    /// (design §5: default ≤ 1 s). Updates of one node within the interval cost one write.
    /// </summary>
    public TimeSpan WeightFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Period of the consolidation reminder (hub distillation and the forgetting sweep).</summary>
    public TimeSpan ConsolidationPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Consolidation also distills new turns, not only hubs (the gated learning of the helamem profile rarely makes
    /// hubs): a run of this many new turns, or a session that ended (see <see cref="SessionGap"/>), is distilled on the
    /// next reminder; RunNow distills every new turn. 0: off, hubs only (as the paper).
    /// </summary>
    public int ConsolidateEveryTurns { get; set; } = 50;

    /// <summary>
    /// A session ends where two consecutive turns are this far apart, where the conversation id changes, or when its
    /// last turn is this old: its new turns are then distilled even when fewer than <see cref="ConsolidateEveryTurns"/>.
    /// </summary>
    public TimeSpan SessionGap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Register the consolidation reminder when a graph is first written to (off: only RunNow consolidates).</summary>
    public bool ScheduleConsolidation { get; set; } = true;

    /// <summary>Most messages in one ingest call (a tenant may lower it).</summary>
    public int MaxMessagesPerIngest { get; set; } = 1000;

    /// <summary>Longest message or query, in characters (a tenant may lower it).</summary>
    public int MaxTextLength { get; set; } = 16_384;

    /// <summary>
    /// Caps the node grains one retrieval asks for their spread score (null, the default: no cap, and the results are
    /// exactly the core's). With a cap, the nodes with the highest bounds are asked and the others keep their
    /// structural pull (their learned weights are left out): faster, no longer identical to the core.
    /// </summary>
    public int? MaxSpreadFanOut { get; set; }

    /// <summary>How many times a retrieval asks a seed again whose previous update is still in flight.</summary>
    public int SpreadRetries { get; set; } = 200;

    /// <summary>The largest <see cref="ConsolidateEveryTurns"/>: one distillation reads that many turns at once.</summary>
    public const int MaxConsolidateEveryTurns = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Algorithm, nameof(Algorithm));
        Algorithm.Validate();
        if (WeightFlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WeightFlushInterval), WeightFlushInterval, "The weight flush interval must be positive.");
        }

        if (ConsolidationPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConsolidationPeriod), ConsolidationPeriod, "The consolidation period must be positive.");
        }

        if (ConsolidateEveryTurns is < 0 or > MaxConsolidateEveryTurns)
        {
            throw new ArgumentOutOfRangeException(nameof(ConsolidateEveryTurns), ConsolidateEveryTurns, $"Consolidating every N new turns needs N between 1 and {MaxConsolidateEveryTurns} (0: off).");
        }

        if (SessionGap <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SessionGap), SessionGap, "The session gap must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessagesPerIngest, 1, nameof(MaxMessagesPerIngest));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTextLength, 1, nameof(MaxTextLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(SpreadRetries, 0, nameof(SpreadRetries));
        if (MaxSpreadFanOut is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSpreadFanOut), MaxSpreadFanOut, "The spreading fan-out cap must not be negative (null: no cap).");
        }
    }
}
