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

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessagesPerIngest, 1, nameof(MaxMessagesPerIngest));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTextLength, 1, nameof(MaxTextLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(SpreadRetries, 0, nameof(SpreadRetries));
        if (MaxSpreadFanOut is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSpreadFanOut), MaxSpreadFanOut, "The spreading fan-out cap must not be negative (null: no cap).");
        }
    }
}
