using System.Text;
using HelaMem.Abstractions.Keys;
using Microsoft.AspNetCore.Http.Features;

namespace HelaMem.Silo.Api;

/// <summary>
/// Refuses a tenant route whose user id breaks the rule with one 400 naming the rule, before routing runs. It reads
/// the request target as the client sent it: the server removes "." and ".." segments from the path
/// (<c>/v1/users/../messages</c> becomes <c>/v1/messages</c>), so without this those ids would be answered "no such
/// route" or "method not allowed" instead of "invalid user id".
/// </summary>
internal sealed class UserIdCheck(RequestDelegate next)
{
    private const string Prefix = "/v1/users/";

    /// <summary>The rule, as every refusal states it.</summary>
    public static readonly string Rule =
        $"a user id is 1–{KeySegment.MaxLength} characters: letters, digits, '-', '_', '.' and '@', and not '.' or '..'";

    public Task InvokeAsync(HttpContext context)
    {
        if (UserSegment(context) is { } user && Problem(user) is { } problem)
        {
            throw ApiProblemException.BadRequest(problem);
        }

        return next(context);
    }

    /// <summary>Why <paramref name="user"/> is not a valid user id, or null when it is.</summary>
    public static string? Problem(string user)
    {
        if (user.Length == 0)
        {
            return $"Invalid user id: it is empty; {Rule}.";
        }

        if (user.Length > KeySegment.MaxLength)
        {
            return $"Invalid user id: it is {user.Length} characters long; {Rule}.";
        }

        foreach (var c in user)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
            {
                return $"Invalid user id '{Printable(user)}': it contains '{Printable(c.ToString())}'; {Rule}.";
            }
        }

        return user is "." or ".." ? $"Invalid user id '{user}'; {Rule}." : null;
    }

    // The user segment of a tenant route as sent (percent-decoded); null for other routes.
    private static string? UserSegment(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        string path;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            var query = raw.IndexOf('?', StringComparison.Ordinal);
            path = query >= 0 ? raw[..query] : raw;
        }
        else
        {
            path = context.Request.Path.Value ?? "";
        }

        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[Prefix.Length..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        var segment = end >= 0 ? rest[..end] : rest;
        if (segment.Length == 0 && end < 0)
        {
            return null; // "/v1/users/": no user route; the router answers.
        }

        try
        {
            return Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            return segment;
        }
    }

    private static string Printable(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > 64 ? text[..64] + "…" : text)
        {
            shown.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return shown.ToString();
    }
}
