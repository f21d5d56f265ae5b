namespace HelaMem.Core.Graph;

/// <summary>The learning parameters an edge set needs, taken from <see cref="HelaMemOptions"/>.</summary>
/// <param name="Rule">The reinforcement rule.</param>
/// <param name="LearningRate">η.</param>
/// <param name="DecayFactor">1 − λ per step (ignored by <see cref="HebbianRule.Additive"/>).</param>
/// <param name="PruneThreshold">Learned weights below this count as absent.</param>
public readonly record struct HebbianParameters(HebbianRule Rule, float LearningRate, float DecayFactor, float PruneThreshold)
{
    /// <summary>The parameters of <paramref name="options"/>.</summary>
    public static HebbianParameters From(HelaMemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.HebbianRule, options.LearningRate, options.DecayFactor, options.PruneThreshold);
    }

    /// <summary>True when learned weights decay between steps.</summary>
    public bool Decays => Rule == HebbianRule.DecayingAverage && DecayFactor < 1f;

    /// <summary>
    /// A learned weight stored at step <paramref name="storedStep"/>, as it reads after step
    /// <paramref name="step"/>: decayed by (1 − λ)^(step − storedStep), and zero once below the prune threshold.
    /// </summary>
    public float Effective(float stored, long storedStep, long step)
    {
        if (stored == 0f)
        {
            return 0f;
        }

        var value = stored;
        if (Decays && step > storedStep)
        {
            value = (float)(stored * Math.Pow(DecayFactor, step - storedStep));
        }

        return value < PruneThreshold ? 0f : value;
    }
}
