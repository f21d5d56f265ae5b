using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>
/// The embedder could not embed now (a remote provider failed after its retries, its circuit breaker is open, it timed
/// out, answered something unusable, or the tenant's token quota is spent). Nothing of the request was stored: the same
/// request (with the same idempotency key) may be sent again once the provider is back.
/// </summary>
[GenerateSerializer, Alias("helamem.EmbeddingUnavailableException")]
public sealed class EmbeddingUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbeddingUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmbeddingUnavailableException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EmbeddingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with the provider's failure in HelaMem's words and, when known, when to retry.</summary>
    public EmbeddingUnavailableException(string reason, int? retryAfterSeconds)
        : base($"The embedding provider is unavailable, so nothing was stored: {reason}")
    {
        Reason = reason;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>What failed, in HelaMem's words (never a key nor the texts).</summary>
    [Id(0)]
    public string Reason { get; init; } = "";

    /// <summary>Seconds after which a retry may succeed (the provider's Retry-After or the breaker's remaining time), when known.</summary>
    [Id(1)]
    public int? RetryAfterSeconds { get; init; }
}
