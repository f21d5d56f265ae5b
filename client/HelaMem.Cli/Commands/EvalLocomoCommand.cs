using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HelaMem.Cli.Answering;
using HelaMem.Cli.Evaluation;
using HelaMem.Cli.Locomo;
using HelaMem.Core;
using HelaMem.Embeddings;
using HelaMem.Llm;
using Spectre.Console;

namespace HelaMem.Cli.Commands;

/// <summary><c>helamem eval locomo</c>: evidence recall of HeLa-Mem and the baselines on LoCoMo conversations.</summary>
public static class EvalLocomoCommand
{
    /// <summary>The summary file name inside the output directory.</summary>
    public const string SummaryFileName = "summary.json";

    private static readonly string[] MethodNames = [.. CliNames.Methods.Select(m => m.Name), "all"];
    private static readonly string[] AblationNames = [.. CliNames.Ablations.Select(a => a.Name)];
    private static readonly string[] EmbedderNames = ["auto", "glove", "hashing", "minilm"];
    private static readonly string[] EngineNames = ["core", "grains", "server"];

    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console) => Create(console, CliContext.Process);

    /// <summary>The same, reading the environment and reaching the chat provider through <paramref name="context"/>.</summary>
    internal static Command Create(IAnsiConsole console, CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Directory of conv-<id>.json files", Required = true };
        var conversations = new Option<string?>("--conversations") { Description = "Comma-separated conversation ids, e.g. 26,30 (default: all files)" };
        var method = new Option<string>("--method") { Description = "hela, bm25, dense, hybrid or all", DefaultValueFactory = _ => "hela" };
        method.AcceptOnlyFromAmong(MethodNames);
        var topK = new Option<int>("--top-k") { Description = "k: items of the base pathway (baselines retrieve k + m)", DefaultValueFactory = _ => 15 };
        var maxFlipped = new Option<int>("--max-flipped") { Description = "m: at most this many flipped items", DefaultValueFactory = _ => 3 };
        var ablation = new Option<string>("--ablation") { Description = "none, no-hebbian, no-spreading or no-consolidation", DefaultValueFactory = _ => "none" };
        ablation.AcceptOnlyFromAmong(AblationNames);
        var variant = new Option<string?>("--variant")
        {
            Description = $"Comma-separated HelaMem improvements: {EvalVariants.Recommended} (= {string.Join(" + ", EvalVariants.RecommendedSet)}), "
                + string.Join(", ", EvalVariants.All.Select(v => $"{v.Name} ({v.Description})")),
        };
        var output = new Option<string>("--output") { Description = "Directory for summary.json", DefaultValueFactory = _ => "eval-results" };
        var embedder = new Option<string>("--embedder") { Description = "auto (GloVe if set up, else hashing with a warning), glove, hashing or minilm (all-MiniLM-L6-v2)", DefaultValueFactory = _ => "auto" };
        embedder.AcceptOnlyFromAmong(EmbedderNames);
        var cache = new Option<string>("--cache") { Description = "The embedder cache directory", DefaultValueFactory = _ => EmbeddingCache.DefaultDirectory };

        var engine = new Option<string>("--engine")
        {
            Description = "core (the in-memory algorithm), grains (the memory grains in an in-process test cluster) or server "
                + "(a running server through its HTTP API); grains and server run method hela only",
            DefaultValueFactory = _ => "core",
        };
        engine.AcceptOnlyFromAmong(EngineNames);
        var url = new Option<string?>("--url") { Description = $"engine server: the server's address (default: ${HelaMem.Client.HelaMemClientOptions.UrlVariable}, else {HelaMem.Client.HelaMemClientOptions.DefaultBaseAddress})" };
        var operatorKey = new Option<string?>("--operator-key") { Description = $"engine server: the operator key (default: ${HelaMem.Client.HelaMemClientOptions.OperatorKeyVariable}); the run creates a throw-away tenant with its k, m and retrieval profile (--variant decaying-hebbian: paper, helamem: helamem)" };
        var apiKey = new Option<string?>("--api-key") { Description = $"engine server without an operator key: a tenant API key (default: ${HelaMem.Client.HelaMemClientOptions.ApiKeyVariable}); the tenant's own k, m and retrieval profile apply" };

        var maxQuestions = new Option<int?>("--max-questions") { Description = "Stop each method run after this many questions (bounds the cost of --answer)" };
        var answer = new Option<bool>("--answer")
        {
            Description = $"Also answer every question with a chat model from its retrieved context and score it with LoCoMo's F1; the provider from --llm-provider/--llm-endpoint/--chat-model/--llm-api-version or {ChatProviderSettings.Prefix}<setting>, the key only from {ChatProviderSettings.ApiKeyVariable}",
        };
        var judge = new Option<bool>("--judge") { Description = "With --answer: also ask the model whether each answer is right (CORRECT/WRONG against the gold answer)" };
        var llmProvider = new Option<string?>("--llm-provider") { Description = $"With --answer: openai (also vLLM, Ollama) or azure-openai (default: ${ChatProviderSettings.Prefix}Provider)" };
        var llmEndpoint = new Option<string?>("--llm-endpoint") { Description = $"With --answer: the provider's address (default: ${ChatProviderSettings.Prefix}Endpoint)" };
        var chatModel = new Option<string?>("--chat-model") { Description = $"With --answer: the chat model, or the Azure deployment name (default: ${ChatProviderSettings.Prefix}ChatModel)" };
        var llmApiVersion = new Option<string?>("--llm-api-version") { Description = $"With --answer on azure-openai: the api-version (default: ${ChatProviderSettings.Prefix}ApiVersion, else the SDK's)" };
        var priceIn = new Option<double>("--price-in") { Description = "With --answer: price per 1M input tokens, for the cost columns (0: no cost shown)", DefaultValueFactory = _ => 0 };
        var priceOut = new Option<double>("--price-out") { Description = "With --answer: price per 1M output tokens", DefaultValueFactory = _ => 0 };
        var answersOut = new Option<string?>("--answers-out") { Description = "With --answer: write every question's answer, score and tokens to this JSON-lines file" };

        var command = new Command("locomo", "Evaluate retrieval on LoCoMo conversations (evidence recall per category) and, with --answer, a chat model's answers (LoCoMo F1)")
        {
            data, conversations, method, topK, maxFlipped, ablation, variant, output, embedder, cache, engine, url, operatorKey, apiKey,
            maxQuestions, answer, judge, llmProvider, llmEndpoint, chatModel, llmApiVersion, priceIn, priceOut, answersOut,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, () =>
        {
            var settings = Validate(
                parse.GetValue(data)!,
                parse.GetValue(conversations),
                parse.GetValue(method)!,
                parse.GetValue(topK),
                parse.GetValue(maxFlipped),
                parse.GetValue(ablation)!,
                parse.GetValue(variant),
                parse.GetValue(output)!,
                parse.GetValue(embedder)!,
                parse.GetValue(cache)!,
                parse.GetValue(engine)!,
                parse.GetValue(engine) == "server"
                    ? ServerConnectionFrom(parse.GetValue(url), parse.GetValue(operatorKey), parse.GetValue(apiKey), context.Environment)
                    : null,
                parse.GetValue(maxQuestions),
                AnswerFrom(
                    parse.GetValue(answer),
                    parse.GetValue(judge),
                    parse.GetValue(priceIn),
                    parse.GetValue(priceOut),
                    parse.GetValue(answersOut),
                    () => ChatProviderSettings.Read(context.Environment, parse.GetValue(llmProvider), parse.GetValue(llmEndpoint), parse.GetValue(chatModel), parse.GetValue(llmApiVersion)),
                    new[] { (llmProvider, parse.GetValue(llmProvider)), (llmEndpoint, parse.GetValue(llmEndpoint)), (chatModel, parse.GetValue(chatModel)), (llmApiVersion, parse.GetValue(llmApiVersion)) }
                        .FirstOrDefault(o => o.Item2 is not null).Item1?.Name));
            Run(settings, console, cancellationToken, context.LlmHttp);
            return Task.CompletedTask;
        }));
        return command;
    }

    /// <summary>Checks the arguments and the data directory; throws <see cref="CliUsageException"/> with a one-line reason.</summary>
    public static EvalLocomoSettings Validate(
        string dataDirectory,
        string? conversations,
        string method,
        int topK,
        int maxFlipped,
        string ablation,
        string? variants,
        string outputDirectory,
        string embedder,
        string cacheDirectory,
        string engine = "core",
        ServerConnection? server = null,
        int? maxQuestions = null,
        AnswerSettings? answer = null)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory) || !Directory.Exists(dataDirectory))
        {
            throw new CliUsageException($"data directory not found: {dataDirectory}");
        }

        if (topK < 1)
        {
            throw new CliUsageException($"--top-k must be at least 1 (got {topK})");
        }

        if (maxFlipped < 0)
        {
            throw new CliUsageException($"--max-flipped must not be negative (got {maxFlipped})");
        }

        if (maxQuestions < 1)
        {
            throw new CliUsageException($"--max-questions must be at least 1 (got {maxQuestions})");
        }

        var available = LocomoReader.ListIds(dataDirectory);
        List<string> ids;
        if (string.IsNullOrWhiteSpace(conversations))
        {
            ids = available;
            if (ids.Count == 0)
            {
                throw new CliUsageException($"no conv-<id>.json files in {dataDirectory}");
            }
        }
        else
        {
            ids = [.. conversations.Split(',', StringSplitOptions.TrimEntries)];
            foreach (var id in ids)
            {
                if (id.Length == 0 || id.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_'))
                {
                    throw new CliUsageException($"--conversations expects comma-separated ids such as 26,30 (got '{conversations}')");
                }

                if (!File.Exists(LocomoReader.PathOf(dataDirectory, id)))
                {
                    throw new CliUsageException($"conversation {id} not found: {LocomoReader.PathOf(dataDirectory, id)} does not exist");
                }
            }

            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            {
                throw new CliUsageException($"--conversations lists a conversation twice ('{conversations}')");
            }
        }

        var engineChoice = engine switch
        {
            "core" => EvalEngine.Core,
            "grains" => EvalEngine.Grains,
            "server" => EvalEngine.Server,
            _ => throw new CliUsageException($"--engine expects core, grains or server (got '{engine}')"),
        };
        if (engineChoice != EvalEngine.Core && method != "hela")
        {
            throw new CliUsageException($"--engine {engine} runs only --method hela: the baselines (bm25, dense, hybrid) exist only in the core engine (got --method {method})");
        }

        var methods = method == "all"
            ? CliNames.Methods.Select(m => m.Method).ToList()
            : [CliNames.Methods.First(m => m.Name == method).Method];
        var variantNames = string.IsNullOrWhiteSpace(variants) ? [] : variants.Split(',', StringSplitOptions.TrimEntries).ToList();
        try
        {
            EvalVariants.Apply(HelaMemOptions.Default, variantNames);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message.Split(" (Parameter", 2)[0], e);
        }

        if (engineChoice == EvalEngine.Server)
        {
            variantNames = ServerEngine.Variants(variantNames, ablation);
            if (server is null || (server.OperatorKey is null && server.ApiKey is null))
            {
                throw new CliUsageException($"--engine server needs an operator key (--operator-key or ${HelaMem.Client.HelaMemClientOptions.OperatorKeyVariable}) or a tenant API key (--api-key or ${HelaMem.Client.HelaMemClientOptions.ApiKeyVariable})");
            }
        }

        var embedderChoice = embedder switch
        {
            "glove" => EmbedderChoice.Glove,
            "hashing" => EmbedderChoice.Hashing,
            "minilm" => EmbedderChoice.MiniLm,
            _ => EmbedderChoice.Auto,
        };
        return new EvalLocomoSettings(
            dataDirectory,
            ids,
            methods,
            topK,
            maxFlipped,
            CliNames.Ablations.First(a => a.Name == ablation).Ablation,
            variantNames,
            outputDirectory,
            embedderChoice,
            cacheDirectory,
            engineChoice,
            engineChoice == EvalEngine.Server ? server : null,
            maxQuestions,
            answer);
    }

    /// <summary>
    /// The answer settings of <c>--answer</c> (null without it); the answer-only options without <c>--answer</c>, and
    /// negative prices, are usage errors. <paramref name="provider"/> reads the chat provider (only with --answer);
    /// <paramref name="providerOption"/> names a provider option that was given, if any.
    /// </summary>
    public static AnswerSettings? AnswerFrom(bool answer, bool judge, double priceIn, double priceOut, string? answersOut, Func<LlmOptions> provider, string? providerOption = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (!answer)
        {
            var stray = judge ? "--judge" : priceIn != 0 ? "--price-in" : priceOut != 0 ? "--price-out" : answersOut is not null ? "--answers-out" : providerOption;
            return stray is null ? null : throw new CliUsageException($"{stray} applies only with --answer");
        }

        if (!(priceIn >= 0) || !(priceOut >= 0) || !double.IsFinite(priceIn) || !double.IsFinite(priceOut))
        {
            throw new CliUsageException($"--price-in and --price-out must be 0 or more per 1M tokens (got {priceIn.ToString(CultureInfo.InvariantCulture)} and {priceOut.ToString(CultureInfo.InvariantCulture)})");
        }

        if (answersOut is not null && (string.IsNullOrWhiteSpace(answersOut) || Directory.Exists(answersOut)))
        {
            throw new CliUsageException($"--answers-out must name a file (got '{answersOut}')");
        }

        return new AnswerSettings(provider(), judge, priceIn, priceOut, answersOut);
    }

    /// <summary>The server connection from the options, else the environment; a malformed URL is a usage error.</summary>
    public static ServerConnection ServerConnectionFrom(string? url, string? operatorKey, string? apiKey, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var address = NullIfBlank(url) ?? NullIfBlank(environment(HelaMem.Client.HelaMemClientOptions.UrlVariable));
        Uri baseAddress;
        if (address is null)
        {
            baseAddress = HelaMem.Client.HelaMemClientOptions.DefaultBaseAddress;
        }
        else if (!Uri.TryCreate(address, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--url '{address}' is not an absolute http:// or https:// address");
        }
        else
        {
            baseAddress = parsed;
        }

        return new ServerConnection(
            baseAddress,
            NullIfBlank(operatorKey) ?? NullIfBlank(environment(HelaMem.Client.HelaMemClientOptions.OperatorKeyVariable)),
            NullIfBlank(apiKey) ?? NullIfBlank(environment(HelaMem.Client.HelaMemClientOptions.ApiKeyVariable)));
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The options of the reference configuration (the released algorithm as the dataset README describes it) with k and m.</summary>
    public static HelaMemOptions ReferenceOptions(int topK, int maxFlipped) => HelaMemOptions.Default with
    {
        // The released evaluation code adds η per co-retrieval and never decays (dataset README).
        HebbianRule = HebbianRule.Additive,
        TopK = topK,
        MaxFlipped = maxFlipped,
    };

    /// <summary>
    /// Runs the evaluation and writes summary.json; returns the summaries. With <c>--answer</c> the chat provider is
    /// reached through <paramref name="llmHttp"/> when given (a client with its own certificate trust), else directly.
    /// </summary>
    public static IReadOnlyList<MethodSummary> Run(EvalLocomoSettings settings, IAnsiConsole console, CancellationToken cancellationToken, HttpClient? llmHttp = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        var conversations = settings.ConversationIds
            .Select(id => LocomoReader.Read(LocomoReader.PathOf(settings.DataDirectory, id)))
            .ToList();
        var questionCount = conversations.Sum(c => c.Questions.Count);
        if (settings.Engine == EvalEngine.Server)
        {
            return RunOnServer(settings, conversations, console, llmHttp, cancellationToken);
        }

        var embedder = EmbedderSelection.Create(settings.Embedder, settings.CacheDirectory, console);
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Engine [bold]{CliNames.Of(settings.Engine)}[/]; embedder [bold]{Markup.Escape(embedder.Name)}[/]; {conversations.Count} conversation(s) ({Markup.Escape(string.Join(", ", settings.ConversationIds))}), {conversations.Sum(c => c.Turns.Count)} turns, {questionCount} questions"));
        return Evaluate(settings, conversations, new LocomoEvaluator(embedder, settings.Engine), console, llmHttp, cancellationToken);
    }

    private static List<MethodSummary> RunOnServer(EvalLocomoSettings settings, List<LocomoConversation> conversations, IAnsiConsole console, HttpClient? llmHttp, CancellationToken cancellationToken)
    {
        var connection = settings.Server ?? throw new CliUsageException("--engine server needs --url and a key");
        var profile = ServerEngine.ProfileOf(settings.Variants);
        var target = ServerEvalTarget.OpenAsync(connection, settings.TopK, settings.MaxFlipped, profile, cancellationToken).GetAwaiter().GetResult();
        try
        {
            console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Engine [bold]server[/] at [bold]{Markup.Escape(connection.Url.ToString())}[/], tenant [bold]{Markup.Escape(target.Tenant)}[/]{(connection.CreatesTenant ? " (throw-away)" : "")}; the server's embedder [bold]{Markup.Escape(target.Embedder)}[/]; {conversations.Count} conversation(s) ({Markup.Escape(string.Join(", ", settings.ConversationIds))}), {conversations.Sum(c => c.Turns.Count)} turns, {conversations.Sum(c => c.Questions.Count)} questions"));
            var variant = string.Join(',', settings.Variants);
            if (connection.CreatesTenant)
            {
                console.MarkupLine($"The throw-away tenant runs retrieval profile [bold]{profile}[/] (the released options plus [bold]{Markup.Escape(variant)}[/]): compare with --engine core --variant {Markup.Escape(variant)} and the server's embedder.");
            }
            else
            {
                console.MarkupLine("[yellow]warning:[/] with a tenant API key k, m and the retrieval profile are the tenant's settings, not --top-k/--max-flipped/--variant (an operator key lets the run set them).");
            }

            // Baselines never run here (validation refuses them); the embedder only satisfies the evaluator.
            var summaries = Evaluate(settings, conversations, new LocomoEvaluator(new HashingEmbedder(), target), console, llmHttp, cancellationToken);
            if (!connection.CreatesTenant)
            {
                // Only the server knows the tenant's profile; its search responses name it.
                var observed = target.ObservedProfile ?? "unknown (no search ran)";
                console.MarkupLine($"The tenant's users ran retrieval profile [bold]{Markup.Escape(observed)}[/]{(observed == profile ? "" : $" [yellow](not {profile}, which --variant {Markup.Escape(variant)} compares with)[/]")}.");
            }

            return summaries;
        }
        finally
        {
            try
            {
                target.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HelaMem.Client.HelaMemApiException or TimeoutException)
            {
                // The table (or the original error) matters more than the clean-up; say what is left behind.
                console.MarkupLine($"[yellow]warning:[/] clean-up incomplete on tenant {Markup.Escape(target.Tenant)} (its eval-* users may remain): {Markup.Escape(e.Message)}");
            }
        }
    }

    private static List<MethodSummary> Evaluate(EvalLocomoSettings settings, List<LocomoConversation> conversations, LocomoEvaluator evaluator, IAnsiConsole console, HttpClient? llmHttp, CancellationToken cancellationToken)
    {
        var questionCount = Math.Min(conversations.Sum(c => c.Questions.Count), settings.MaxQuestions ?? int.MaxValue);
        using var answering = settings.Answer is null ? null : AnswerRunner.Open(settings.Answer, llmHttp, console);

        var options = EvalVariants.Apply(ReferenceOptions(settings.TopK, settings.MaxFlipped), settings.Variants);
        options = settings.Ablation switch
        {
            EvalAblation.NoHebbian => options with { LearningRate = 0f },
            EvalAblation.NoSpreading => options with { SpreadingWeight = 0f },
            _ => options,
        };
        options.Validate();

        var runs = settings.Methods.Select(m => m == EvalMethod.Hela
            ? new MethodRun(m, settings.Ablation, settings.Variants, options)
            : new MethodRun(m, EvalAblation.None, [], options)).ToList();
        var summaries = new List<MethodSummary>();
        if (!PlainProgress.LiveBarWorks(console))
        {
            // Piped or redirected: a line a second per method and its final count, instead of a bar frozen at 0%.
            foreach (var run in runs)
            {
                var lines = new PlainProgress(console, RunLabel(run), questionCount, "questions", TimeSpan.FromSeconds(1));
                summaries.Add(evaluator.Evaluate(run, conversations, () => lines.Advance(1), answering?.SessionFor(run), settings.MaxQuestions, cancellationToken));
                lines.Finish();
            }
        }
        else
        {
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    foreach (var run in runs)
                    {
                        var task = context.AddTask(Markup.Escape(RunLabel(run)), maxValue: Math.Max(1, questionCount));
                        summaries.Add(evaluator.Evaluate(run, conversations, () => task.Increment(1), answering?.SessionFor(run), settings.MaxQuestions, cancellationToken));
                        task.Value = task.MaxValue;
                    }
                });
        }

        Directory.CreateDirectory(settings.OutputDirectory);
        var summaryPath = Path.Combine(settings.OutputDirectory, SummaryFileName);
        File.WriteAllText(summaryPath, JsonSerializer.Serialize(summaries, SummaryJsonContext.Readable.ListMethodSummary) + "\n");
        ResultsTable.Write(console, summaries);
        AnswerTable.Write(console, summaries);
        console.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(summaryPath))}[/]");
        if (settings.Answer?.AnswersOut is { } answersPath)
        {
            console.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(answersPath))}[/]");
        }
        return summaries;
    }

    private static string RunLabel(MethodRun run) => run.Method == EvalMethod.Hela ? $"hela ({run.AblationLabel})" : CliNames.Of(run.Method);
}
