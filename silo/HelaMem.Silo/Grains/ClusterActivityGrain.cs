namespace HelaMem.Silo.Grains;

/// <summary>Keeps the latest activity window per silo; a silo that stopped reporting falls out after the caller's maximum age.</summary>
[GrainType("cluster-activity")]
public sealed class ClusterActivityGrain(TimeProvider clock) : Grain, IClusterActivityGrain
{
    private readonly Dictionary<string, SiloActivity> _latest = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task Report(SiloActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);

        // A late delivery never replaces a newer window of the same silo.
        if (!_latest.TryGetValue(activity.Silo, out var known) || known.TakenAt <= activity.TakenAt)
        {
            _latest[activity.Silo] = activity;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SiloActivity>> Latest(TimeSpan maxAge)
    {
        // Judged by this silo's clock against the reporting silo's: a cluster's hosts keep their clocks synchronized,
        // and the age limit spans several push periods, so a skew of a second does not drop a live silo.
        var oldest = clock.GetUtcNow() - maxAge;
        foreach (var silo in _latest.Where(entry => entry.Value.TakenAt < oldest).Select(entry => entry.Key).ToList())
        {
            _latest.Remove(silo);
        }

        return Task.FromResult<IReadOnlyList<SiloActivity>>([.. _latest.Values]);
    }
}
