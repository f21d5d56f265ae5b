using Microsoft.Extensions.Logging;

namespace HelaMem.Llm;

/// <summary>
/// Runs one provider call with HelaMem's resilience: a time-out per attempt, retries of transient failures with
/// exponential backoff (or the provider's Retry-After when it sent one), and the circuit breaker; and turns the SDK's
/// exceptions into the <see cref="LlmException"/> family. The SDK's own retries are off (see LlmClientFactory) so that
/// this is the one place that decides.
/// </summary>
internal sealed class ResilientCaller(LlmOptions options, CircuitBreaker breaker, TimeProvider time, ILogger logger)
{
    // Backoff without Retry-After: 0.5 s, 1 s, 2 s, ... (plus up to 20% jitter), never above the ceiling; a Retry-After
    // above the ceiling is honoured up to the ceiling too, so that one call never waits for minutes.
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private string Provider => options.Provider;

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(options.TimeoutSeconds);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, fails for good, or the retries are spent (with
    /// <paramref name="retry"/> false: once, for what cannot be replayed).
    /// </summary>
    public async Task<T> CallAsync<T>(string operation, string model, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken, bool retry = true)
    {
        for (var number = 1; ; number++)
        {
            if (breaker.OpenUntil() is { } until)
            {
                throw new LlmUnavailableException(
                    $"The LLM provider ({Provider}) is unavailable: its circuit breaker is open after {options.BreakAfterFailures} consecutive failures, until {until:O}.",
                    Max(until - time.GetUtcNow(), TimeSpan.Zero));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AttemptTimeout);
            Exception failure;
            string description;
            TimeSpan? retryAfter = null;
            try
            {
                var result = await attempt(timeout.Token).ConfigureAwait(false);
                breaker.RecordSuccess();
                return result;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new LlmTimeoutException(
                    $"The LLM provider ({Provider}) did not answer {operation} on {model} within {options.TimeoutSeconds} s (HelaMem:Llm:TimeoutSeconds), {number} attempt(s).", e);
                description = "time-out";
            }
            catch (Exception e) when (e is not OperationCanceledException and not LlmException)
            {
                var kind = ProviderFailure.From(e);
                switch (kind.Kind)
                {
                    case ProviderFailureKind.ContentFilter:
                        LlmLog.Failed(logger, Provider, operation, model, "content filter");
                        throw new LlmContentFilteredException($"The LLM provider's content filter refused the {operation} request on {model}.", e);
                    case ProviderFailureKind.Rejected:
                        LlmLog.Failed(logger, Provider, operation, model, $"HTTP {kind.Status}");
                        throw new LlmRequestRejectedException(kind.Status,
                            $"The LLM provider ({Provider}) refused {operation} on {model} with HTTP {kind.Status}; check HelaMem:Llm's endpoint, key and model names.", e);
                    case ProviderFailureKind.SignInFailed:
                        LlmLog.Failed(logger, Provider, operation, model, "Entra ID sign-in failed");
                        throw new LlmRequestRejectedException(401,
                            $"The LLM provider ({Provider}) could not be signed in to with Entra ID (HelaMem:Llm:ApiKey is not set): no credential of DefaultAzureCredential gave a token; give the host an identity or set the key.", e);
                    case ProviderFailureKind.Malformed:
                        LlmLog.Failed(logger, Provider, operation, model, "malformed response");
                        throw new LlmProtocolException($"The LLM provider ({Provider}) answered {operation} on {model} with a body that is not valid OpenAI protocol JSON.", e);
                    case ProviderFailureKind.Unknown:
                        throw;
                }

                description = kind.Status == 0 ? "network error" : $"HTTP {kind.Status}";
                retryAfter = kind.RetryAfter;
                failure = new LlmUnavailableException(
                    $"The LLM provider ({Provider}) failed {operation} on {model}: {description} after {number} attempt(s).", retryAfter, e);
            }

            if (breaker.RecordFailure())
            {
                LlmLog.BreakerOpened(logger, Provider, options.BreakAfterFailures, options.BreakSeconds);
            }

            if (!retry || number > options.MaxRetries)
            {
                LlmLog.Failed(logger, Provider, operation, model, description);
                throw failure;
            }

            var delay = retryAfter is { } after ? Min(after, MaxDelay) : Backoff(number);
            LlmLog.Retrying(logger, Provider, operation, model, number, description, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Backoff(int attempt)
    {
        var exponential = FirstDelay * Math.Pow(2, attempt - 1);
        var jittered = exponential * (1 + (0.2 * Random.Shared.NextDouble()));
        return Min(jittered, MaxDelay);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
