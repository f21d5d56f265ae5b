using HelaMem.Core;

namespace HelaMem.Cli.Evaluation;

/// <summary>
/// HelaMem's improvements over the released algorithm, each a named change of <see cref="HelaMemOptions"/>, so
/// that every one can be evaluated on its own or combined (<c>--variant a,b</c>).
/// </summary>
public static class EvalVariants
{
    /// <summary>The variants, with what they change.</summary>
    public static IReadOnlyList<(string Name, string Description, Func<HelaMemOptions, HelaMemOptions> Apply)> All { get; } =
    [
        ("decaying-hebbian", "the paper's decaying Hebbian rule instead of the released additive one", o => o with { HebbianRule = HebbianRule.DecayingAverage }),
        ("decay-now", "temporal decay γ measured from the retrieval time", o => o with { TemporalDecayReference = TemporalDecayReference.Now }),
        ("idf-keywords", "keyword score weighted by each keyword's idf in the graph", o => o with { KeywordWeighting = KeywordWeighting.Idf }),
        ("stem-keywords", "keywords matched by light stems (painted = paint)", o => o with { StemKeywords = true }),
        ("inherit-keywords", "a turn is also indexed under the keywords of the turn it answers", o => o with { InheritPreviousKeywords = true }),
        ("entity-edges", "associative edges (0.5) between successive mentions of an entity", o => o with { EntityEdgeWeight = 0.5f }),
        ("strong-spreading", "spreading weight β = 0.5 instead of 0.1", o => o with { SpreadingWeight = 0.5f }),
        ("gated-hebbian", "only the 3 best base items of a result reinforce each other", o => o with { ReinforcementTopN = 3 }),
        ("use-feedback", "no co-retrieval learning; the evaluation reports the retrieved evidence turns as used and only those are reinforced (feedback protocol)", o => o with { ReinforceOnRetrieve = false }),
        ("decay-newest", "temporal decay γ measured from the newest memory", o => o with { TemporalDecayReference = TemporalDecayReference.NewestMemory }),
    ];

    /// <summary>The name of the combination HelaMem recommends (docs/evaluation.md) and what it stands for.</summary>
    public const string Recommended = "helamem";

    /// <summary>The variants <see cref="Recommended"/> expands to.</summary>
    public static IReadOnlyList<string> RecommendedSet { get; } =
        ["stem-keywords", "inherit-keywords", "idf-keywords", "strong-spreading", "gated-hebbian", "decaying-hebbian"];

    /// <summary>Applies the named variants in order; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static HelaMemOptions Apply(HelaMemOptions options, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names.SelectMany(n => n == Recommended ? RecommendedSet : [n]))
        {
            var variant = All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));
            if (variant.Apply is null)
            {
                throw new ArgumentException($"unknown variant '{name}' (known: {Recommended}, {string.Join(", ", All.Select(v => v.Name))})", nameof(names));
            }

            options = variant.Apply(options);
        }

        return options;
    }
}
