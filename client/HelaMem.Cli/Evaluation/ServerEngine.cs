namespace HelaMem.Cli.Evaluation;

/// <summary>
/// What <c>eval locomo --engine server</c> can ask of a server. The algorithm's options are the silo's (its
/// defaults are <c>HelaMemOptions.Default</c>: HelaMem's decaying Hebbian rule where the released code adds), and
/// only k and m can be set per tenant; so a server run is the released configuration plus the
/// <c>decaying-hebbian</c> variant, and only the consolidation ablation (which the client drives) is possible.
/// </summary>
public static class ServerEngine
{
    /// <summary>The variant the silo's default options amount to.</summary>
    public const string SiloVariant = "decaying-hebbian";

    /// <summary>
    /// The variants a server run is labelled and compared with: always <see cref="SiloVariant"/>; anything else,
    /// or an ablation the server cannot do, is a usage error.
    /// </summary>
    public static List<string> Variants(IReadOnlyList<string> requested, string ablation)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (ablation is not ("none" or "no-consolidation"))
        {
            throw new CliUsageException($"--engine server cannot run --ablation {ablation}: the server's algorithm options are the silo's, not set per request (only none and no-consolidation)");
        }

        var other = requested.Where(v => v != SiloVariant).ToList();
        if (other.Count > 0)
        {
            throw new CliUsageException($"--engine server runs the silo's algorithm options, which equal --variant {SiloVariant}; it cannot apply --variant {string.Join(',', other)}");
        }

        return [SiloVariant];
    }
}
