namespace HelaMem.Core;

/// <summary>
/// HelaMem's improvements over the released algorithm, each a named change of <see cref="HelaMemOptions"/>, and the
/// named retrieval profiles a tenant or a graph runs. One definition shared by the evaluation (<c>--variant</c>), the
/// grains and the silo, so that the configuration the service serves is the one that was measured.
/// </summary>
public static class RetrievalProfiles
{
    /// <summary>The profile of the published algorithm (<see cref="HelaMemOptions.Default"/>, LoCoMo dev recall 69.0).</summary>
    public const string PaperName = "paper";

    /// <summary>The profile of HelaMem's first recommended combination (<see cref="RecommendedSet"/>, docs/evaluation.md).</summary>
    public const string HelaMemName = "helamem";

    /// <summary>
    /// The second: <see cref="HelaMemName"/> with the speaker cue and pair-gated learning (<see cref="SecondSet"/>). A
    /// graph keeps the profile it was built with, so graphs built as <see cref="HelaMemName"/> keep retrieving as they did.
    /// </summary>
    public const string HelaMem2Name = "helamem-2";

    /// <summary>
    /// The third: <see cref="HelaMem2Name"/> with the relative cut (<see cref="ThirdSet"/>): the base pathway keeps the
    /// items scoring at least 0.8 times the best, between 0.8k and 2k of them.
    /// </summary>
    public const string HelaMem3Name = "helamem-3";

    /// <summary>The profile names, in the order they are listed to users.</summary>
    public static IReadOnlyList<string> Names { get; } = [PaperName, HelaMemName, HelaMem2Name, HelaMem3Name];

    /// <summary>The variants, with what they change.</summary>
    public static IReadOnlyList<(string Name, string Description, Func<HelaMemOptions, HelaMemOptions> Apply)> Variants { get; } =
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
        ("speaker-cue", "σ = 0.15 added to the base score of a memory whose speaker the query names", o => o with { SpeakerWeight = 0.15f }),
        ("pair-gated-hebbian", "only the 2 best base items of a result reinforce each other", o => o with { ReinforcementTopN = 2 }),
        ("relative-cut", "the base pathway keeps the items scoring at least 0.8 times the best one, between 0.8k and 2k of them", o => o with { RelativeCutoff = 0.8f, MinTopK = o.TopK * 4 / 5, TopK = o.TopK * 2 }),
        ("decay-newest", "temporal decay γ measured from the newest memory", o => o with { TemporalDecayReference = TemporalDecayReference.NewestMemory }),
    ];

    /// <summary>The variants <see cref="HelaMemName"/> stands for.</summary>
    public static IReadOnlyList<string> RecommendedSet { get; } =
        ["stem-keywords", "inherit-keywords", "idf-keywords", "strong-spreading", "gated-hebbian", "decaying-hebbian"];

    /// <summary>The variants <see cref="HelaMem2Name"/> stands for (applied in order: pair gating replaces the gate of 3).</summary>
    public static IReadOnlyList<string> SecondSet { get; } = [.. RecommendedSet, "speaker-cue", "pair-gated-hebbian"];

    /// <summary>The variants <see cref="HelaMem3Name"/> stands for.</summary>
    public static IReadOnlyList<string> ThirdSet { get; } = [.. SecondSet, "relative-cut"];

    /// <summary>The published algorithm.</summary>
    public static HelaMemOptions Paper => HelaMemOptions.Default;

    /// <summary>HelaMem's recommended configuration: <see cref="Paper"/> with every variant of <see cref="RecommendedSet"/>.</summary>
    public static HelaMemOptions HelaMem { get; } = ApplyVariants(HelaMemOptions.Default, [HelaMemName]);

    /// <summary>Whether <paramref name="name"/> is a profile name (exact, lower case).</summary>
    public static bool IsKnown(string? name) => name is PaperName or HelaMemName or HelaMem2Name or HelaMem3Name;

    /// <summary>Throws <see cref="ArgumentException"/> naming the allowed values unless <paramref name="name"/> is a profile name.</summary>
    public static void Validate(string? name, string parameter)
    {
        if (!IsKnown(name))
        {
            throw new ArgumentException($"Unknown retrieval profile '{name}'; allowed: {string.Join(", ", Names)}.", parameter);
        }
    }

    /// <summary>
    /// The options of profile <paramref name="name"/> on top of <paramref name="baseOptions"/> (the silo's configured
    /// algorithm): <see cref="PaperName"/> leaves them as they are, <see cref="HelaMemName"/> applies the recommended set.
    /// </summary>
    public static HelaMemOptions Apply(HelaMemOptions baseOptions, string name)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        Validate(name, nameof(name));
        return name == PaperName ? baseOptions : ApplyVariants(baseOptions, [name]);
    }

    /// <summary>
    /// Applies the named variants in order (<see cref="HelaMemName"/> expands to <see cref="RecommendedSet"/>); throws
    /// <see cref="ArgumentException"/> for an unknown name.
    /// </summary>
    public static HelaMemOptions ApplyVariants(HelaMemOptions options, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names.SelectMany(n => n switch { HelaMemName => RecommendedSet, HelaMem2Name => SecondSet, HelaMem3Name => ThirdSet, _ => [n] }))
        {
            var variant = Variants.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));
            if (variant.Apply is null)
            {
                throw new ArgumentException($"unknown variant '{name}' (known: {HelaMemName}, {HelaMem2Name}, {HelaMem3Name}, {string.Join(", ", Variants.Select(v => v.Name))})", nameof(names));
            }

            options = variant.Apply(options);
        }

        return options;
    }
}
