namespace HelaMem.Abstractions.Keys;

/// <summary>
/// Validates one id in a grain key (a tenant, user, agent or run id). Segments are joined with '/', and '~' separates
/// an agent's or a run's scope from its id (<see cref="MemoryOwner"/>), so an id must contain neither; the allowed
/// alphabet is small so that ids are safe in URLs, logs and file names.
/// </summary>
public static class KeySegment
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="what"/> unless <paramref name="value"/> is a valid id.</summary>
    public static string Validate(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"The {what} id must not be empty.", what);
        }

        if (value.Length > MaxLength)
        {
            throw new ArgumentException($"The {what} id is {value.Length} characters long; at most {MaxLength} are allowed.", what);
        }

        foreach (var c in value)
        {
            if (!IsAllowed(c))
            {
                throw new ArgumentException($"The {what} id '{value}' contains '{c}'; ids use only letters, digits, '-', '_', '.' and '@'.", what);
            }
        }

        if (value is "." or "..")
        {
            throw new ArgumentException($"The {what} id must not be '.' or '..'.", what);
        }

        return value;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@';
}
