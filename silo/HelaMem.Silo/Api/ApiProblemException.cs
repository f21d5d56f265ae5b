using HelaMem.Abstractions.Keys;

namespace HelaMem.Silo.Api;

/// <summary>A request the API refuses with a specific status and a one-line explanation (rendered as problem details).</summary>
public sealed class ApiProblemException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ApiProblemException(int status, string title, string detail, string? quota = null)
        : base(detail)
    {
        Status = status;
        Title = title;
        Quota = quota;
    }

    /// <summary>Creates a 400 exception.</summary>
    public ApiProblemException()
        : this(StatusCodes.Status400BadRequest, "Bad request", "The request is invalid.")
    {
    }

    /// <summary>Creates a 400 exception.</summary>
    public ApiProblemException(string message)
        : this(StatusCodes.Status400BadRequest, "Bad request", message)
    {
    }

    /// <summary>Creates a 400 exception.</summary>
    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
        Title = "Bad request";
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The problem's short title.</summary>
    public string Title { get; }

    /// <summary>The exceeded quota, for quota errors.</summary>
    public string? Quota { get; }

    /// <summary>Seconds the client should wait before retrying (sent as Retry-After), when the refusal is temporary.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>404 for an owner without memories (also what another tenant's owner looks like: nothing leaks).</summary>
    public static ApiProblemException UnknownOwner(MemoryOwner owner) =>
        new(StatusCodes.Status404NotFound, $"Unknown {owner.ScopeText}", $"{Capitalized(owner.Describe())} has no memories.");

    /// <summary>404 for a memory id the owner does not have.</summary>
    public static ApiProblemException UnknownMemory(MemoryOwner owner, long id) =>
        new(StatusCodes.Status404NotFound, "Unknown memory", $"{Capitalized(owner.Describe())} has no memory {id}.");

    /// <summary>400 for invalid input.</summary>
    public static ApiProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>403/413 naming the exceeded quota.</summary>
    public static ApiProblemException QuotaExceeded(string quota, string detail, int status = StatusCodes.Status403Forbidden) =>
        new(status, "Quota exceeded", detail, quota);
}
