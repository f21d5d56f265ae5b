using System.Globalization;
using HelaMem.Client.Contracts;

namespace HelaMem.Client.Mcp;

/// <summary>
/// The API's rules for tool argument values that do not reach the API as the tool caller wrote them, checked before
/// the call so that the refusal names the argument. An idempotency key travels in a header (the API's refusal names
/// 'Idempotency-Key', which the caller never wrote, and the HTTP client cannot put every string into a header), and
/// <c>helamem mcp</c> sends list_memories' filter as a listing's query string, where an empty or missing value reads
/// as a query parameter's mistake. The words are the API's (the silo's <c>IdempotencyLimits</c> and
/// <c>MemoryFilterRules</c>; a test holds them equal); everything else about a value is left to the API.
/// </summary>
public static class ToolValueRules
{
    /// <summary>The longest idempotency key, in characters (the API's limit).</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>Refuses (<see cref="ArgumentException"/>) an idempotency key the API would refuse, naming the argument.</summary>
    public static void RequireIdempotencyKey(string? key, string argument)
    {
        if (key is not null && IdempotencyKeyProblem(key) is { } problem)
        {
            throw new ArgumentException($"argument '{argument}' {problem}.");
        }
    }

    /// <summary>
    /// Why <paramref name="key"/> is not an idempotency key (to follow the key's name), or null when it is one:
    /// 1–255 printable ASCII characters.
    /// </summary>
    public static string? IdempotencyKeyProblem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxIdempotencyKeyLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {key.Length} characters long; it must be 1–{MaxIdempotencyKeyLength} printable ASCII characters");
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return string.Create(CultureInfo.InvariantCulture, $"contains the character U+{(int)c:X4}; it must be 1–{MaxIdempotencyKeyLength} printable ASCII characters (no spaces)");
            }
        }

        return null;
    }

    /// <summary>
    /// Refuses (<see cref="ArgumentException"/>) what a listing's query string cannot say of a filter: a blank metadata
    /// key, and a null or empty value of a condition (a null metadata value too), in the words the API uses for them in
    /// a filter object (<c>field 'filter.speakers[0]' is empty; ...</c>). Limits and times are left to the API, which
    /// states them in the same words for a query string.
    /// </summary>
    public static void RequireListingFilter(MemoryFilter? filter)
    {
        if (filter is null)
        {
            return;
        }

        foreach (var (key, values) in filter.Metadata ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException("field 'filter.metadata' has an empty key; keys name a metadata entry.");
            }

            RequireValues(values, $"filter.metadata['{key}']", allowEmpty: true);
        }

        RequireValues(filter.ConversationIds, "filter.conversationIds", allowEmpty: false);
        RequireValues(filter.Speakers, "filter.speakers", allowEmpty: false);
        RequireValues(filter.Roles, "filter.roles", allowEmpty: false);
    }

    private static void RequireValues(IReadOnlyList<string>? values, string field, bool allowEmpty)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var value = values![i];
            if (value is null || (!allowEmpty && value.Length == 0))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"field '{field}[{i}]' is {(value is null ? "null" : "empty")}; values are non-empty strings."));
            }
        }
    }
}
