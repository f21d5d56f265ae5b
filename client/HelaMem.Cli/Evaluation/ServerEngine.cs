using HelaMem.Core;

namespace HelaMem.Cli.Evaluation;

/// <summary>
/// What <c>eval locomo --engine server</c> can ask of a server. The algorithm's options are the silo's, chosen per
/// user by the tenant's retrieval profile (<see cref="RetrievalProfiles"/>): "paper" is the released configuration plus
/// the <c>decaying-hebbian</c> variant (<c>HelaMemOptions.Default</c>), "helamem" the recommended set. Only k and m are
/// set per tenant besides, so a server run is one of those two variant lists, and only the consolidation ablation
/// (which the client drives) is possible.
/// </summary>
public static class ServerEngine
{
    /// <summary>The variant the "paper" profile amounts to.</summary>
    public const string SiloVariant = "decaying-hebbian";

    /// <summary>The variant names a server run accepts, with the profile each one runs as.</summary>
    public static IReadOnlyList<(string Variant, string Profile)> Profiles { get; } =
    [
        (SiloVariant, RetrievalProfiles.PaperName),
        (RetrievalProfiles.HelaMemName, RetrievalProfiles.HelaMemName),
        (RetrievalProfiles.HelaMem2Name, RetrievalProfiles.HelaMem2Name),
        (RetrievalProfiles.HelaMem3Name, RetrievalProfiles.HelaMem3Name),
    ];

    /// <summary>
    /// The variants a server run is labelled and compared with: <see cref="SiloVariant"/> (also when none is given) or
    /// "helamem"; anything else, or an ablation the server cannot do, is a usage error.
    /// </summary>
    public static List<string> Variants(IReadOnlyList<string> requested, string ablation)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (ablation is not ("none" or "no-consolidation"))
        {
            throw new CliUsageException($"--engine server cannot run --ablation {ablation}: the server's algorithm options are the silo's, not set per request (only none and no-consolidation)");
        }

        var distinct = requested.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return [SiloVariant];
        }

        if (distinct.Count == 1 && Profiles.Any(p => p.Variant == distinct[0]))
        {
            return distinct;
        }

        throw new CliUsageException(
            $"--engine server cannot apply --variant {string.Join(',', requested)}: it runs a retrieval profile of the silo, --variant {SiloVariant} (profile paper) or --variant {RetrievalProfiles.HelaMemName} or {RetrievalProfiles.HelaMem2Name} or {RetrievalProfiles.HelaMem3Name} (the profile of that name)");
    }

    /// <summary>The profile a server run of <paramref name="variants"/> (as <see cref="Variants"/> returned them) needs.</summary>
    public static string ProfileOf(IReadOnlyList<string> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        return Profiles.FirstOrDefault(p => variants.Count == 1 && p.Variant == variants[0]).Profile
            ?? throw new CliUsageException($"--engine server has no profile for --variant {string.Join(',', variants)}");
    }
}
