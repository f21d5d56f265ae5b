using HelaMem.Core;

namespace HelaMem.Cli.Evaluation;

/// <summary>One row of an evaluation: a method with its configuration.</summary>
/// <param name="Method">The method.</param>
/// <param name="Ablation">The ablation (HeLa-Mem only; baselines run with none).</param>
/// <param name="Variants">The improvement variants applied (HeLa-Mem only).</param>
/// <param name="Options">HeLa-Mem's options (baselines use TopK + MaxFlipped items and the common-component switch).</param>
public sealed record MethodRun(EvalMethod Method, EvalAblation Ablation, IReadOnlyList<string> Variants, HelaMemOptions Options)
{
    /// <summary>Items a baseline retrieves: as many as HeLa-Mem can return at most (k + m).</summary>
    public int BaselineItems => Options.TopK + Options.MaxFlipped;

    /// <summary>The label written to summary.json's <c>ablation</c> field: the ablation, then any variants joined by '+'.</summary>
    public string AblationLabel => Variants.Count == 0 ? CliNames.Of(Ablation) : $"{CliNames.Of(Ablation)}+{string.Join('+', Variants)}";
}
