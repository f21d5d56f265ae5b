namespace HelaMem.Core;

/// <summary>How co-activation changes a learned edge weight.</summary>
public enum HebbianRule
{
    /// <summary>
    /// The paper's rule: every learned weight decays by 1 − λ per retrieval step, and a co-activated pair gains
    /// η on top: w ← (1 − λ)·w + η, capped at 1, pruned below the prune threshold. Applied lazily.
    /// </summary>
    DecayingAverage,

    /// <summary>The released evaluation code: a co-activated pair gains η (capped at 1); nothing decays.</summary>
    Additive,
}
