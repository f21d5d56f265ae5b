namespace HelaMem.Cli.Evaluation;

/// <summary>Which HeLa-Mem mechanism an evaluation switches off.</summary>
public enum EvalAblation
{
    /// <summary>Everything on.</summary>
    None,

    /// <summary>No Hebbian learning (η = 0).</summary>
    NoHebbian,

    /// <summary>No spreading activation (β = 0), hence no flipped nodes.</summary>
    NoSpreading,

    /// <summary>No consolidation: no semantic items.</summary>
    NoConsolidation,
}
