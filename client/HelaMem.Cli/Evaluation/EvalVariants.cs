using HelaMem.Core;

namespace HelaMem.Cli.Evaluation;

/// <summary>
/// The evaluation's names for HelaMem's improvements (<c>--variant a,b</c>): the variant table and the recommended
/// set live in <see cref="RetrievalProfiles"/>, which the grains and the silo share, so the CLI measures exactly
/// what the service's profiles run.
/// </summary>
public static class EvalVariants
{
    /// <summary>The variants, with what they change.</summary>
    public static IReadOnlyList<(string Name, string Description, Func<HelaMemOptions, HelaMemOptions> Apply)> All => RetrievalProfiles.Variants;

    /// <summary>The name of the combination HelaMem recommends (docs/evaluation.md): also the service's profile name.</summary>
    public const string Recommended = RetrievalProfiles.HelaMemName;

    /// <summary>The variants <see cref="Recommended"/> expands to.</summary>
    public static IReadOnlyList<string> RecommendedSet => RetrievalProfiles.RecommendedSet;

    /// <summary>Applies the named variants in order; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static HelaMemOptions Apply(HelaMemOptions options, IEnumerable<string> names) => RetrievalProfiles.ApplyVariants(options, names);
}
