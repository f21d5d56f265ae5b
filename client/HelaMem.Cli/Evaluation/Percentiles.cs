namespace HelaMem.Cli.Evaluation;

/// <summary>Nearest-rank percentiles.</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percent"/>-th percentile of <paramref name="values"/> (nearest rank); 0 for none.</summary>
    public static double Of(IReadOnlyList<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
