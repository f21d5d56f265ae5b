namespace HelaMem.Cli.Evaluation;

/// <summary>
/// Evidence recall per category: a question's recall is the fraction of its evidence turns in the retrieved
/// set; a category's figure is the mean over its questions, and mean 1–4 the mean over all questions of
/// categories 1–4 (as in the reference figures). Questions without evidence do not count.
/// </summary>
public sealed class RecallTally
{
    private readonly double[] _sums = new double[6];
    private readonly int[] _counts = new int[6];

    /// <summary>Adds one question's result; returns its recall, or null when it has no evidence.</summary>
    public double? Add(int category, IReadOnlyCollection<string> evidence, IReadOnlySet<string> retrieved)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(retrieved);
        if (category is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(category), category, "LoCoMo categories are 1–5.");
        }

        if (evidence.Count == 0)
        {
            return null;
        }

        var recall = (double)evidence.Count(retrieved.Contains) / evidence.Count;
        _sums[category] += recall;
        _counts[category]++;
        return recall;
    }

    /// <summary>The recall of a category in percent, or null when it had no question.</summary>
    public double? Percent(int category) => _counts[category] == 0 ? null : 100 * _sums[category] / _counts[category];

    /// <summary>The recall over all questions of categories 1–4, in percent.</summary>
    public double? PercentMean1To4()
    {
        var count = _counts[1] + _counts[2] + _counts[3] + _counts[4];
        return count == 0 ? null : 100 * (_sums[1] + _sums[2] + _sums[3] + _sums[4]) / count;
    }
}
