using HelaMem.Silo.Grains;

namespace HelaMem.Silo.Diagnostics.Activity;

/// <summary>
/// Turns a silo's running totals into its activity over the recent window: it keeps the totals it saw at each push
/// for the window's length, and a snapshot is the difference between now and the oldest kept (so bucket counts,
/// and the percentiles merged from them, cover the window exactly). Thread-safe.
/// </summary>
internal sealed class ActivityWindow(TimeSpan length, DateTimeOffset started)
{
    private readonly Lock _lock = new();
    private readonly List<(DateTimeOffset At, ActivityTotals Totals)> _kept = [(started, ActivityTotals.Empty)];

    /// <summary>The window's length.</summary>
    public TimeSpan Length => length;

    /// <summary>
    /// The activity between the window's start and <paramref name="now"/>; with <paramref name="keep"/> the totals
    /// are kept as a later baseline (the periodic push keeps them; a route's fresh look does not).
    /// </summary>
    public SiloActivity Take(string silo, DateTimeOffset now, ActivityTotals totals, bool keep)
    {
        lock (_lock)
        {
            // The newest kept totals at least a window old are the baseline; older ones are no longer needed.
            while (_kept.Count >= 2 && _kept[1].At <= now - length)
            {
                _kept.RemoveAt(0);
            }

            var (since, baseline) = _kept[0];
            if (keep)
            {
                _kept.Add((now, totals));
            }

            var tenants = new List<TenantActivityWindow>();
            foreach (var (tenant, current) in totals.Tenants)
            {
                var before = baseline.Tenants.GetValueOrDefault(tenant);
                var window = new TenantActivityWindow(
                    tenant,
                    current.Ingests - (before?.Ingests ?? 0),
                    current.Searches - (before?.Searches ?? 0),
                    current.Refusals - (before?.Refusals ?? 0),
                    current.InputTokens - (before?.InputTokens ?? 0),
                    current.OutputTokens - (before?.OutputTokens ?? 0),
                    Difference(current.SearchLatency, before?.SearchLatency));
                if (window.Ingests + window.Searches + window.Refusals + window.InputTokens + window.OutputTokens > 0)
                {
                    tenants.Add(window);
                }
            }

            var seconds = Math.Max(1, (now - since).TotalSeconds);
            return new SiloActivity(silo, now, seconds, tenants, Difference(totals.StorageCommitLatency, baseline.StorageCommitLatency));
        }
    }

    private static long[] Difference(long[] current, long[]? before)
    {
        var difference = (long[])current.Clone();
        if (before is not null)
        {
            for (var i = 0; i < difference.Length; i++)
            {
                difference[i] -= before[i];
            }
        }

        return difference;
    }
}
