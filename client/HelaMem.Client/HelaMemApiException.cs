using System.Net;

namespace HelaMem.Client;

/// <summary>The API refused or failed a call; the message is the server's one-line explanation.</summary>
public sealed class HelaMemApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HelaMemApiException(HttpStatusCode statusCode, string message, string? problemType = null, string? quota = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        ProblemType = problemType;
        Quota = quota;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates an exception without a status (for serializers and tests).</summary>
    public HelaMemApiException()
    {
    }

    /// <summary>Creates an exception without a status.</summary>
    public HelaMemApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a status.</summary>
    public HelaMemApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem type URI, when the server sent problem details.</summary>
    public string? ProblemType { get; }

    /// <summary>The quota that was exceeded, for quota errors.</summary>
    public string? Quota { get; }

    /// <summary>When the server said to try again (rate limits).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The problem's title as the server sent it (for example "Unknown user"), when it sent problem details.</summary>
    public string? Title { get; init; }

    /// <summary>The server's one-line explanation alone, without the request line <see cref="Exception.Message"/> adds.</summary>
    public string? Detail { get; init; }
}
