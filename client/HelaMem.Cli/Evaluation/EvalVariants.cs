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
        ("decay-newest", "temporal decay γ measured from the newest memory", o => o with { TemporalDecayReference = TemporalDecayReference.NewestMemory }),
    ];

    /// <summary>Applies the named variants in order; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static HelaMemOptions Apply(HelaMemOptions options, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            var variant = All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));
            if (variant.Apply is null)
            {
                throw new ArgumentException($"unknown variant '{name}' (known: {string.Join(", ", All.Select(v => v.Name))})", nameof(names));
            }

            options = variant.Apply(options);
        }

        return options;
    }
}
