namespace HelaMem.Core.Graph;

/// <summary>The learning parameters an edge set needs, taken from <see cref="HelaMemOptions"/>.</summary>
/// <remarks>
/// Reading a learned weight needs (1 − λ)^Δ for the steps Δ since its last update, on every edge a spreading
/// wave crosses. A table of the powers up to the Δ at which even a full weight of 1 falls below the prune
/// threshold replaces Math.Pow on that path; beyond it the weight reads as pruned anyway.
/// </remarks>
public readonly record struct HebbianParameters
{
    private readonly float[]? _decayPowers;

    /// <summary>Creates the parameters and, for a decaying rule, the table of decay powers.</summary>
    /// <param name="rule">The reinforcement rule.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="decayFactor">1 − λ per step (ignored by <see cref="HebbianRule.Additive"/>).</param>
    /// <param name="pruneThreshold">Learned weights below this count as absent.</param>
    public HebbianParameters(HebbianRule rule, float learningRate, float decayFactor, float pruneThreshold)
    {
        Rule = rule;
        LearningRate = learningRate;
        DecayFactor = decayFactor;
        PruneThreshold = pruneThreshold;
        _decayPowers = Decays ? BuildDecayPowers(decayFactor, pruneThreshold) : null;
    }

    /// <summary>The reinforcement rule.</summary>
    public HebbianRule Rule { get; }

    /// <summary>η.</summary>
    public float LearningRate { get; }

    /// <summary>1 − λ per step.</summary>
    public float DecayFactor { get; }

    /// <summary>Learned weights below this count as absent.</summary>
    public float PruneThreshold { get; }

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
        if (_decayPowers is { } powers && step > storedStep)
        {
            var elapsed = step - storedStep;
            value = elapsed < powers.Length ? stored * powers[elapsed] : 0f;
        }

        return value < PruneThreshold ? 0f : value;
    }

    /// <summary>
    /// The table of decay powers, powers[Δ] = (float)(1 − λ)^Δ computed in double, for Δ until even a weight of 1
    /// falls below the prune threshold. Public so that code replaying the learning elsewhere (the user-graph grain's
    /// learned-edge bounds) decays with exactly the same floats.
    /// </summary>
    /// <param name="decayFactor">1 − λ per step.</param>
    /// <param name="pruneThreshold">Learned weights below this count as absent.</param>
    public static float[] BuildDecayPowers(float decayFactor, float pruneThreshold)
    {
        var limit = pruneThreshold > 0
            ? (int)Math.Min(1 << 20, Math.Ceiling(Math.Log(pruneThreshold) / Math.Log(decayFactor)) + 2)
            : 1 << 20;
        var powers = new float[Math.Max(2, limit)];
        for (var i = 0; i < powers.Length; i++)
        {
            powers[i] = (float)Math.Pow(decayFactor, i);
        }

        return powers;
    }
}
