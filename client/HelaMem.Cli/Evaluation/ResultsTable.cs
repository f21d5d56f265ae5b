using System.Globalization;
using Spectre.Console;

namespace HelaMem.Cli.Evaluation;

/// <summary>Prints the evaluation results as a table, one row per method run.</summary>
public static class ResultsTable
{
    /// <summary>Writes the table to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<MethodSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summaries);
        var table = new Table().Title("LoCoMo evidence recall (%)");
        foreach (var column in new[] { "method", "ablation", "items", "1 multi-hop", "2 temporal", "3 open-dom.", "4 single-hop", "5 adversarial", "mean 1–4", "words", "p50 ms", "p99 ms" })
        {
            table.AddColumn(new TableColumn(column) { Alignment = column is "method" or "ablation" ? Justify.Left : Justify.Right });
        }

        foreach (var s in summaries)
        {
            table.AddRow(
                Markup.Escape(s.Method),
                Markup.Escape(s.Ablation),
                Format(s.ItemsPerQuery),
                Format(s.Recall.MultiHop),
                Format(s.Recall.Temporal),
                Format(s.Recall.OpenDomain),
                Format(s.Recall.SingleHop),
                Format(s.Recall.Adversarial),
                $"[bold]{Format(s.Recall.Mean1To4)}[/]",
                Format(s.ContextTokensPerQuery),
                s.LatencyMs.P50.ToString("0.000", CultureInfo.InvariantCulture),
                s.LatencyMs.P99.ToString("0.000", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        foreach (var s in summaries)
        {
            if (s.LatencySplit is { } split)
            {
                console.MarkupLine(Markup.Escape(string.Create(
                    CultureInfo.InvariantCulture,
                    $"latency {s.Method} ({s.Ablation}) on {s.Engine}: first retrieval of each conversation ({split.FirstCount}) mean {split.FirstMean:0.000} ms, max {split.FirstMax:0.000} ms; the other {split.WarmCount}: p50 {split.WarmP50:0.000} ms, p99 {split.WarmP99:0.000} ms")));
            }
        }
    }

    private static string Format(double? value) => value is null ? "–" : value.Value.ToString("0.0", CultureInfo.InvariantCulture);
}
