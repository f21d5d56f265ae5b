namespace HelaMem.Cli.Evaluation;

/// <summary>The command-line and summary.json spellings of methods and ablations.</summary>
public static class CliNames
{
    /// <summary>The spellings of the methods, in the order <c>all</c> runs them.</summary>
    public static IReadOnlyList<(string Name, EvalMethod Method)> Methods { get; } =
        [("hela", EvalMethod.Hela), ("bm25", EvalMethod.Bm25), ("dense", EvalMethod.Dense), ("hybrid", EvalMethod.Hybrid)];

    /// <summary>The spellings of the ablations.</summary>
    public static IReadOnlyList<(string Name, EvalAblation Ablation)> Ablations { get; } =
        [("none", EvalAblation.None), ("no-hebbian", EvalAblation.NoHebbian), ("no-spreading", EvalAblation.NoSpreading), ("no-consolidation", EvalAblation.NoConsolidation)];

    /// <summary>The name of a method.</summary>
    public static string Of(EvalMethod method) => Methods.First(m => m.Method == method).Name;

    /// <summary>The name of an ablation.</summary>
    public static string Of(EvalAblation ablation) => Ablations.First(a => a.Ablation == ablation).Name;

    /// <summary>The name of an engine (summary.json's <c>engine</c> field).</summary>
    public static string Of(EvalEngine engine) => engine switch
    {
        EvalEngine.Grains => "grains",
        EvalEngine.Server => "server",
        _ => "core",
    };
}
