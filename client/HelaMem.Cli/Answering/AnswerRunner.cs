using System.Text;
using HelaMem.Cli.Evaluation;
using HelaMem.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace HelaMem.Cli.Answering;

/// <summary>
/// What <c>--answer</c> holds for a whole evaluation: the chat client (HelaMem.Llm's factory: retries honouring
/// Retry-After, time-outs, circuit breaker) and the answers file, shared by every method run.
/// </summary>
public sealed class AnswerRunner : IDisposable
{
    private readonly AnswerSettings _settings;
    private readonly IChatClient _chat;
    private readonly StreamWriter? _answersOut;

    private AnswerRunner(AnswerSettings settings, IChatClient chat, StreamWriter? answersOut)
    {
        _settings = settings;
        _chat = chat;
        _answersOut = answersOut;
    }

    /// <summary>Connects to the provider of <paramref name="settings"/> (through <paramref name="http"/> when given) and opens the answers file.</summary>
    public static AnswerRunner Open(AnswerSettings settings, HttpClient? http, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);

        // Token usage is read from each response (per question); the factory's usage sink and quota are the service's.
        var factory = http is null
            ? new LlmClientFactory(settings.Llm, IgnoredUsage.Instance, UnlimitedTokenQuota.Instance, NullLoggerFactory.Instance)
            : new LlmClientFactory(settings.Llm, IgnoredUsage.Instance, UnlimitedTokenQuota.Instance, NullLoggerFactory.Instance, TimeProvider.System, http);
        StreamWriter? answersOut = null;
        if (settings.AnswersOut is { } path)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            // Flushed line by line, so that a run stopped by a provider failure keeps the answers it got.
            answersOut = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        }

        var llm = settings.Llm;
        console.MarkupLine(Markup.Escape(
            $"Answering with {llm.Provider} model {llm.ChatModel}{(llm.Endpoint is null ? "" : $" at {llm.Endpoint}")}{(settings.Judge ? ", judged by the same model" : "")}; "
            + $"key {(llm.ApiKey is null ? "not set" : $"from {ChatProviderSettings.ApiKeyVariable}")}"));
        return new AnswerRunner(settings, factory.CreateChatClient(), answersOut);
    }

    /// <summary>The answer step of one method run.</summary>
    public AnswerSession SessionFor(MethodRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ablation = run.Method == EvalMethod.Hela ? run.AblationLabel : CliNames.Of(EvalAblation.None);
        return new AnswerSession(new QuestionAnswerer(_chat), _settings, CliNames.Of(run.Method), ablation, _answersOut);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _chat.Dispose();
        _answersOut?.Dispose();
    }

    private sealed class IgnoredUsage : ILlmUsageSink
    {
        public static IgnoredUsage Instance { get; } = new();

        public void Record(LlmUsage usage)
        {
            // The evaluation counts tokens from each response itself, per question.
        }
    }
}
