using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json;

namespace HelaMem.Llm;

/// <summary>How one failed attempt is to be treated, read from what the SDK threw.</summary>
internal readonly record struct ProviderFailure(ProviderFailureKind Kind, int Status, TimeSpan? RetryAfter)
{
    /// <summary>Classifies an exception the OpenAI / Azure OpenAI SDK threw for one attempt.</summary>
    public static ProviderFailure From(Exception exception) => exception switch
    {
        ClientResultException result => FromResult(result),
        // Entra ID sign-in for Azure OpenAI without a key: no credential answered, or it was refused.
        Azure.Identity.AuthenticationFailedException => new(ProviderFailureKind.SignInFailed, 0, null),
        JsonException or FormatException or KeyNotFoundException => new(ProviderFailureKind.Malformed, 0, null),
        HttpRequestException or IOException => new(ProviderFailureKind.Transient, 0, null),
        _ => new(ProviderFailureKind.Unknown, 0, null),
    };

    private static ProviderFailure FromResult(ClientResultException exception)
    {
        var status = exception.Status;
        var response = exception.GetRawResponse();
        if (status == 0 || status == 408 || status == 429 || status >= 500)
        {
            return new(ProviderFailureKind.Transient, status, response is null ? null : RetryAfterOf(response));
        }

        if (status == 400 && response is not null && IsContentFilter(response))
        {
            return new(ProviderFailureKind.ContentFilter, status, null);
        }

        return new(ProviderFailureKind.Rejected, status, null);
    }

    // Azure (and OpenAI) send retry-after-ms with millisecond precision besides the standard Retry-After
    // (seconds or an HTTP date); the finer one wins.
    private static TimeSpan? RetryAfterOf(PipelineResponse response)
    {
        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? TimeSpan.FromTicks(Math.Max(0, (at - DateTimeOffset.UtcNow).Ticks))
            : null;
    }

    // Azure's refusal: {"error":{"code":"content_filter", ...}} with HTTP 400.
    private static bool IsContentFilter(PipelineResponse response)
    {
        try
        {
            using var body = JsonDocument.Parse(response.Content);
            return body.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String
                && code.GetString() == "content_filter";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>What to do about a failed attempt.</summary>
internal enum ProviderFailureKind
{
    /// <summary>429, 408, 5xx, a network error: retry with backoff, counts towards the breaker.</summary>
    Transient,

    /// <summary>The content filter refused: never retried.</summary>
    ContentFilter,

    /// <summary>Any other 4xx: a setting or the request is wrong; never retried.</summary>
    Rejected,

    /// <summary>Entra ID gave no token: a setting of the host's identity, never retried.</summary>
    SignInFailed,

    /// <summary>The body is not the protocol: never retried.</summary>
    Malformed,

    /// <summary>Not a provider failure (a bug of ours or of the SDK): passed through unchanged.</summary>
    Unknown,
}
