namespace HelaMem.Llm;

// The failures a caller of the provider clients sees, one type per way to react. Messages are HelaMem's own words and
// never carry the API key or the prompt; the SDK's exception, when there is one, is kept as the inner exception.

/// <summary>Any failure of an LLM call.</summary>
public class LlmException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LlmException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The provider cannot be used now: the circuit breaker is open, or transient failures (429, 5xx, time-outs, network)
/// outlasted the retries. Callers map it to 503 or a degraded answer.
/// </summary>
public class LlmUnavailableException : LlmException
{
    /// <summary>Creates the exception.</summary>
    public LlmUnavailableException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>Creates the exception with the time after which a call may succeed.</summary>
    public LlmUnavailableException(string message, TimeSpan? retryAfter, Exception? inner = null) : base(message, inner) => RetryAfter = retryAfter;

    /// <summary>
    /// When known, how long to wait before calling again: the provider's last Retry-After, or the time the open circuit
    /// breaker still refuses calls. Callers that answer HTTP pass it on as their own Retry-After.
    /// </summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>Every attempt ran past <see cref="LlmOptions.TimeoutSeconds"/>.</summary>
public sealed class LlmTimeoutException : LlmUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public LlmTimeoutException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The provider's content filter refused the prompt (HTTP 400 content_filter) or cut the answer (finish reason content_filter).</summary>
public sealed class LlmContentFilteredException : LlmException
{
    /// <summary>Creates the exception.</summary>
    public LlmContentFilteredException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The provider answered with something that is not its protocol (malformed JSON, missing fields).</summary>
public sealed class LlmProtocolException : LlmException
{
    /// <summary>Creates the exception.</summary>
    public LlmProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The provider refused the request for a reason retrying cannot fix (401, 403, 404, 400): a setting is wrong.</summary>
public sealed class LlmRequestRejectedException : LlmException
{
    /// <summary>Creates the exception.</summary>
    public LlmRequestRejectedException(int status, string message, Exception? inner = null) : base(message, inner) => Status = status;

    /// <summary>The provider's HTTP status.</summary>
    public int Status { get; }
}

/// <summary>The tenant's token budget is used up; nothing was sent to the provider.</summary>
public sealed class LlmQuotaExceededException : LlmException
{
    /// <summary>Creates the exception.</summary>
    public LlmQuotaExceededException(string tenant, string message) : base(message) => Tenant = tenant;

    /// <summary>The tenant whose budget is used up.</summary>
    public string Tenant { get; }
}
