using Microsoft.Extensions.Logging;

namespace HelaMem.Llm;

// What the provider clients log. Only the provider, the model, statuses and delays: never the key, the prompt or a body.
internal static partial class LlmLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "LLM {Provider} {Operation} on {Model}: attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string provider, string operation, string model, int attempt, string failure, long delayMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error,
        Message = "LLM {Provider}: {Failures} consecutive failures, refusing calls for {BreakSeconds} s")]
    public static partial void BreakerOpened(ILogger logger, string provider, int failures, double breakSeconds);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error,
        Message = "LLM {Provider} {Operation} on {Model} failed: {Failure}")]
    public static partial void Failed(ILogger logger, string provider, string operation, string model, string failure);
}
