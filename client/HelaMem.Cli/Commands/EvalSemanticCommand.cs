using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HelaMem.Cli.Evaluation;
using HelaMem.Cli.Locomo;
using HelaMem.Embeddings;
using Spectre.Console;

namespace HelaMem.Cli.Commands;

/// <summary>
/// <c>helamem eval semantic</c>: what consolidation makes of LoCoMo conversations (each speaker's profile, the facts)
/// and evidence recall with and without the semantic items at the same context size, through the memory grains.
/// </summary>
public static class EvalSemanticCommand
{
    /// <summary>The summary file name inside the output directory.</summary>
    public const string SummaryFileName = "semantic-summary.json";

    /// <summary>The sample file (profiles and some facts per conversation) inside the output directory.</summary>
    public const string SampleFileName = "semantic-sample.md";

    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<string>("--data") { Description = "Directory of conv-<id>.json files", Required = true };
        var conversations = new Option<string?>("--conversations") { Description = "Comma-separated conversation ids, e.g. 26,30 (default: all files)" };
        var variant = new Option<string?>("--variant") { Description = $"Comma-separated HelaMem improvements, as eval locomo (e.g. {EvalVariants.Recommended})" };
        var everyTurns = new Option<int>("--every-turns") { Description = "The turn trigger's N: distill every N new turns and at each session's end", DefaultValueFactory = _ => 50 };
        var samples = new Option<int>("--sample-facts") { Description = "Facts per conversation in the sample file", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--output") { Description = "Directory for semantic-summary.json and semantic-sample.md", DefaultValueFactory = _ => "eval-results" };
        var embedder = new Option<string>("--embedder") { Description = "auto (GloVe if set up, else hashing with a warning), glove or hashing", DefaultValueFactory = _ => "auto" };
        embedder.AcceptOnlyFromAmong("auto", "glove", "hashing");
        var cache = new Option<string>("--cache") { Description = "The embedder cache directory", DefaultValueFactory = _ => EmbeddingCache.DefaultDirectory };
        var command = new Command("semantic", "Consolidate LoCoMo conversations into semantic memory: profiles, facts, and recall with and without them at the same context size")
        {
            data, conversations, variant, everyTurns, samples, output, embedder, cache,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var turns = parse.GetValue(everyTurns);
            if (turns is < 1 or > HelaMem.Grains.Hosting.HelaMemGrainOptions.MaxConsolidateEveryTurns)
            {
                throw new CliUsageException($"--every-turns must be between 1 and {HelaMem.Grains.Hosting.HelaMemGrainOptions.MaxConsolidateEveryTurns} (got {turns})");
            }

            var sampleFacts = parse.GetValue(samples);
            if (sampleFacts < 0)
            {
                throw new CliUsageException($"--sample-facts must not be negative (got {sampleFacts})");
            }

            // The same checks of data, conversations and variants as eval locomo (grains engine, method hela).
            var settings = EvalLocomoCommand.Validate(parse.GetValue(data)!, parse.GetValue(conversations), "hela", 15, 3, "none", parse.GetValue(variant),
                parse.GetValue(output)!, parse.GetValue(embedder)!, parse.GetValue(cache)!, "grains");
            await RunAsync(settings, turns, sampleFacts, console, cancellationToken);
        }));
        return command;
    }

    /// <summary>Runs the evaluation, writes the summary and the sample; returns the summary.</summary>
    public static async Task<SemanticSummary> RunAsync(EvalLocomoSettings settings, int everyTurns, int sampleFacts, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        var conversations = settings.ConversationIds.Select(id => LocomoReader.Read(LocomoReader.PathOf(settings.DataDirectory, id))).ToList();
        var embedder = EmbedderSelection.Create(settings.Embedder, settings.CacheDirectory, console);
        var options = EvalVariants.Apply(EvalLocomoCommand.ReferenceOptions(settings.TopK, settings.MaxFlipped), settings.Variants);
        options.Validate();
        var questionCount = conversations.Sum(c => c.Questions.Count);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Engine [bold]grains[/]; embedder [bold]{Markup.Escape(embedder.Name)}[/]; consolidation every {everyTurns} turns and at session ends; {conversations.Count} conversation(s), {questionCount} questions"));
        var progress = new PlainProgress(console, "semantic", questionCount, "questions", TimeSpan.FromSeconds(5));
        var summary = await new SemanticEvaluator(embedder, options, everyTurns).EvaluateAsync(conversations, () => progress.Advance(1), cancellationToken);
        progress.Finish();

        Directory.CreateDirectory(settings.OutputDirectory);
        var summaryPath = Path.Combine(settings.OutputDirectory, SummaryFileName);
        await File.WriteAllTextAsync(summaryPath, JsonSerializer.Serialize(summary, SemanticSummaryJsonContext.Readable.SemanticSummary) + "\n", cancellationToken);
        var samplePath = Path.Combine(settings.OutputDirectory, SampleFileName);
        await File.WriteAllTextAsync(samplePath, Sample(summary, sampleFacts), cancellationToken);
        Write(console, summary);
        console.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(summaryPath))}[/] and [bold]{Markup.Escape(Path.GetFullPath(samplePath))}[/]");
        return summary;
    }

    private static void Write(IAnsiConsole console, SemanticSummary summary)
    {
        var counts = new Table().AddColumns("conversation", "turns distilled", "profile items per speaker", "facts", "agent knowledge");
        foreach (var c in summary.Conversations)
        {
            counts.AddRow(c.Conversation, Number(c.TurnsDistilled), Markup.Escape(string.Join(", ", c.Profiles.Select(p => $"{p.Speaker} {p.Items.Count}"))), Number(c.Facts), Number(c.AgentKnowledge));
        }

        console.Write(counts);
        var recall = new Table().AddColumns("context", "words/query", "semantic items/query", "cat 1", "cat 2", "cat 3", "cat 4", "mean 1–4");
        recall.AddRow(Row("episodic items only", summary.EpisodicWords, 0, summary.EpisodicRecall));
        recall.AddRow(Row("profile + knowledge first, same words", summary.SemanticWords, summary.SemanticItemsPerQuestion, summary.SemanticRecall));
        recall.AddRow(Row("knowledge first (no profile), same words", summary.KnowledgeWords, summary.KnowledgeItemsPerQuestion, summary.KnowledgeRecall));
        console.Write(recall);
    }

    private static string[] Row(string label, double words, double items, RecallSummary r) =>
        [label, Number(words), Number(items), Percent(r.MultiHop), Percent(r.Temporal), Percent(r.OpenDomain), Percent(r.SingleHop), Percent(r.Mean1To4)];

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "–";

    // A person-readable sample: every speaker's profile and the first facts of each conversation.
    private static string Sample(SemanticSummary summary, int facts)
    {
        var text = new StringBuilder();
        foreach (var c in summary.Conversations)
        {
            text.Append(CultureInfo.InvariantCulture, $"## conv-{c.Conversation}: {c.Facts} facts\n\n");
            foreach (var profile in c.Profiles)
            {
                text.Append(CultureInfo.InvariantCulture, $"**{profile.Speaker}** ({profile.Items.Count} profile items): {string.Join("; ", profile.Items)}\n\n");
            }

            foreach (var fact in c.FactTexts.Take(facts))
            {
                text.Append("- ").Append(fact).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
