namespace HelaMem.Silo.Diagnostics.Activity;

/// <summary>
/// The fixed latency buckets every silo counts into: log-spaced bounds (each 2^(1/3) ≈ 1.26 times the last) from
/// 50 µs to about 100 s. Fixed bounds make bucket counts of different silos and moments add up, so the cluster's
/// p50 and p99 come from the merged counts (averaging silos' percentiles would not give a percentile). A quantile is
/// reported as the geometric middle of its bucket: within ±13 % of the true value.
/// </summary>
internal static class LatencyBuckets
{
    /// <summary>Buckets: below the first bound, between consecutive bounds, and at or above the last bound.</summary>
    public const int Count = 64;

    private const double FirstBoundSeconds = 50e-6;
    private static readonly double Growth = Math.Cbrt(2);
    private static readonly double LogGrowth = Math.Log(Growth);

    /// <summary>The bucket of a duration in seconds.</summary>
    public static int IndexOf(double seconds)
    {
        if (!(seconds >= FirstBoundSeconds))
        {
            return 0;
        }

        var index = 1 + (int)Math.Floor(Math.Log(seconds / FirstBoundSeconds) / LogGrowth);
        return Math.Min(index, Count - 1);
    }

    /// <summary>The lower bound of bucket <paramref name="index"/> in seconds (0 for the first).</summary>
    public static double LowerBound(int index) => index == 0 ? 0 : FirstBoundSeconds * Math.Pow(Growth, index - 1);

    /// <summary>
    /// The <paramref name="quantile"/> (0 … 1) of the counted durations in milliseconds, or null when nothing was
    /// counted: the geometric middle of the bucket that holds it (the first bucket: half its bound; the last: its bound).
    /// </summary>
    public static double? QuantileMilliseconds(IReadOnlyList<long> counts, double quantile)
    {
        ArgumentNullException.ThrowIfNull(counts);
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        // The rank of the wanted value (1-based), as the nearest-rank method takes it.
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return MiddleSeconds(i) * 1000;
            }
        }

        return MiddleSeconds(counts.Count - 1) * 1000;
    }

    /// <summary>Adds <paramref name="from"/> into <paramref name="into"/> bucket by bucket.</summary>
    public static void Add(long[] into, IReadOnlyList<long> from)
    {
        for (var i = 0; i < Math.Min(into.Length, from.Count); i++)
        {
            into[i] += from[i];
        }
    }

    private static double MiddleSeconds(int index) => index switch
    {
        0 => FirstBoundSeconds / 2,
        Count - 1 => LowerBound(index),
        _ => Math.Sqrt(LowerBound(index) * LowerBound(index + 1)),
    };
}
