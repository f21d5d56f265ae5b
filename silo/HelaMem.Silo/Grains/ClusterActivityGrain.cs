namespace HelaMem.Silo.Grains;

/// <summary>
/// Keeps the latest activity window per silo. A silo that stopped reporting is left out of <see cref="Latest"/> after
/// the caller's maximum age, and forgotten after <see cref="ForgetAfter"/>.
/// </summary>
[GrainType("cluster-activity")]
public sealed class ClusterActivityGrain(TimeProvider clock) : Grain, IClusterActivityGrain
{
    /// <summary>How long the window of a silo that stopped reporting is kept at most.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(5);

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

        var forgotten = clock.GetUtcNow() - ForgetAfter;
        foreach (var silo in _latest.Where(entry => entry.Value.TakenAt < forgotten).Select(entry => entry.Key).ToList())
        {
            _latest.Remove(silo);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SiloActivity>> Latest(TimeSpan maxAge)
    {
        // Judged by this silo's clock against the reporting silo's: a cluster's hosts keep their clocks synchronized,
        // and the age limit spans several push periods, so a skew of a second does not drop a live silo.
        var oldest = clock.GetUtcNow() - maxAge;
        return Task.FromResult<IReadOnlyList<SiloActivity>>([.. _latest.Values.Where(window => window.TakenAt >= oldest)]);
    }
}
