using System.Text.Json;
using HelaMem.Abstractions.Contracts;
using Orleans.Runtime;
using Orleans.Storage;
using HelaMem.Silo.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace HelaMem.Silo.Api;

/// <summary>
/// Turns every failure into problem details with a one-line explanation: API refusals keep their status, bad
/// bodies (malformed JSON, invalid UTF-8, wrong types) and invalid values are 400, an ingest into a tenant being
/// deleted is 403; Orleans' own failures (a silo
/// unavailable, an overloaded gateway, a rejected message, a response timeout) and a storage write fenced by a newer
/// ETag are 503 with Retry-After, since a retry reaches a live activation; anything else is a 500 that names only the
/// trace id.
/// </summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    /// <summary>The problem type of a request on a graph built with another embedder than the silo's (409).</summary>
    public const string EmbedderMismatchType = "embedder-mismatch";

    /// <summary>The problem type of a write whose texts could not be embedded (a remote embedder's provider failed; 503, nothing stored).</summary>
    public const string EmbeddingUnavailableType = "embedding-unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, quota) = Classify(exception);
        if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable)
        {
            SiloLog.UnhandledError(logger, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier, exception);
        }

        httpContext.Response.StatusCode = status;
        if (exception is EmbeddingUnavailableException unavailable)
        {
            // The provider's own Retry-After (or the breaker's remaining time) when known; no guess otherwise.
            if (unavailable.RetryAfterSeconds is { } wait)
            {
                httpContext.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }
        else if (exception is ApiProblemException { RetryAfterSeconds: { } seconds })
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (quota is not null)
        {
            context.ProblemDetails.Extensions["quota"] = quota;
        }

        if (exception is EmbedderMismatchException mismatch)
        {
            // A type a client can branch on, and both names, so that it can tell the operator what to run.
            context.ProblemDetails.Type = EmbedderMismatchType;
            context.ProblemDetails.Extensions["graphEmbedder"] = mismatch.GraphEmbedder;
            context.ProblemDetails.Extensions["siloEmbedder"] = mismatch.SiloEmbedder;
        }

        if (exception is EmbeddingUnavailableException)
        {
            context.ProblemDetails.Type = EmbeddingUnavailableType;
        }

        return await problems.TryWriteAsync(context);
    }

    /// <summary>The status, title and one-line explanation of a failure (the MCP endpoint's tool errors say the same).</summary>
    internal static (int Status, string Title, string Detail, string? Quota) Classify(Exception exception) => exception switch
    {
        ApiProblemException problem => (problem.Status, problem.Title, problem.Message, problem.Quota),
        BadHttpRequestException bad => (bad.StatusCode, Title(bad.StatusCode), RequestErrors.Describe(bad), null),
        JsonException json => (StatusCodes.Status400BadRequest, "Bad request", RequestErrors.Describe(json), null),
        ArgumentException argument => (StatusCodes.Status400BadRequest, "Bad request", FirstLine(argument.Message), null),
        TenantDeletingException deleting => (StatusCodes.Status403Forbidden, "Tenant disabled", deleting.Message, null),
        EmbedderMismatchException mismatch => (StatusCodes.Status409Conflict, "Embedder mismatch", mismatch.Message, null),
        EmbeddingUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, "Embedding unavailable",
            $"The texts could not be embedded, so nothing was stored or changed (not even an idempotency key): {unavailable.Reason.TrimEnd('.')}. Send the same request again later.", null),
        UnauthorizedAccessException => (StatusCodes.Status403Forbidden, "Forbidden", "The call crosses tenants and was refused.", null),
        SiloUnavailableException or GatewayTooBusyException or OrleansMessageRejectionException or TimeoutException or OperationCanceledException =>
            (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The silo is overloaded, stopping or restarting; retry shortly.", null),
        InconsistentStateException =>
            (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The memory moved while the request ran (a newer writer holds it); retry shortly.", null),
        _ when StorageFailures.IsUnavailable(exception) =>
            (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The storage is unreachable; nothing of this request was stored unless a retry says so. Retry shortly.", null),
        _ => (StatusCodes.Status500InternalServerError, "Internal error", "The server failed; the error is logged with this request's trace id.", null),
    };

    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Bad request",
    };

    private static string FirstLine(string text)
    {
        // ArgumentException appends " (Parameter 'x')"; keep the sentence only.
        var index = text.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var line = index > 0 ? text[..index] : text;
        return string.Join(' ', line.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
