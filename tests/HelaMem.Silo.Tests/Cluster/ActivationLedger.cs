using System.Globalization;
using System.Text.RegularExpressions;

namespace HelaMem.Silo.Tests.Cluster;

/// <summary>
/// Counts duplicate activations of user graphs from what the silo processes logged: every graph activation logs
/// when it starts (Orleans has registered it in the grain directory by then) and when it begins to deactivate; a
/// killed silo's activations end when it was killed. Two lifetimes of the same graph on different silos that overlap
/// in time are a duplicate activation: for a while two activations of one graph could both have taken calls.
/// </summary>
internal static partial class ActivationLedger
{
    /// <summary>
    /// The settings that make a silo print what the ledger reads: the graph's debug lines, one line per entry, with a
    /// UTC timestamp in milliseconds (all silos run on this machine's clock).
    /// </summary>
    public static IReadOnlyDictionary<string, string> LoggingEnvironment { get; } = new Dictionary<string, string>
    {
        ["Logging__LogLevel__HelaMem.Grains.Graph.UserGraphGrain"] = "Debug",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
    };

    /// <summary>Every activation lifetime found in the processes' output.</summary>
    public static IReadOnlyList<ActivationLifetime> Lifetimes(IEnumerable<SiloTranscript> processes, DateTimeOffset now)
    {
        var lifetimes = new List<ActivationLifetime>();
        foreach (var process in processes)
        {
            var started = new Dictionary<string, (string Graph, string Silo, DateTimeOffset At)>(StringComparer.Ordinal);
            var ended = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            foreach (Match line in LifetimeLine().Matches(process.Output))
            {
                var at = DateTimeOffset.Parse(line.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                var activation = line.Groups["activation"].Value;
                if (line.Groups["event"].Value == "started")
                {
                    started[activation] = (line.Groups["graph"].Value, line.Groups["silo"].Value, at);
                }
                else
                {
                    ended.TryAdd(activation, at);
                }
            }

            foreach (var (activation, start) in started)
            {
                var end = ended.TryGetValue(activation, out var stopped) ? stopped : process.EndedAt ?? now;
                lifetimes.Add(new ActivationLifetime(start.Graph, activation, start.Silo, start.At, end));
            }
        }

        return lifetimes;
    }

    /// <summary>Pairs of lifetimes of one graph on different silos that overlap in time.</summary>
    public static IReadOnlyList<(ActivationLifetime First, ActivationLifetime Second)> Duplicates(IReadOnlyList<ActivationLifetime> lifetimes) =>
        [.. lifetimes
            .GroupBy(l => l.Graph, StringComparer.Ordinal)
            .SelectMany(graph =>
            {
                var ordered = graph.OrderBy(l => l.Start).ToList();
                return ordered.SelectMany((first, i) => ordered.Skip(i + 1)
                    .Where(second => second.Silo != first.Silo && second.Start < first.End)
                    .Select(second => (first, second)));
            })];

    // "2026-12-03T16:50:00.123Z dbug: HelaMem.Grains.Graph.UserGraphGrain[13] Graph t/u activation @a started on S127.0.0.1:11111:2."
    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) dbug: HelaMem\.Grains\.Graph\.UserGraphGrain\[1[34]\] Graph (?<graph>\S+) activation (?<activation>\S+) (?<event>started|stopping) on (?<silo>\S+?)(?: \(\w+\))?\.\r?$", RegexOptions.Multiline)]
    private static partial Regex LifetimeLine();
}

/// <summary>One activation of a graph: where it lived and from when until when.</summary>
internal sealed record ActivationLifetime(string Graph, string Activation, string Silo, DateTimeOffset Start, DateTimeOffset End);
