using System.Text;
using HelaMem.Abstractions.Keys;
using Microsoft.AspNetCore.Http.Features;

namespace HelaMem.Silo.Api;

/// <summary>
/// Refuses a memory route whose owner id (<c>/v1/users/{user}</c>, <c>/v1/agents/{agent}</c>, <c>/v1/runs/{run}</c>)
/// breaks the rule with one 400 naming the rule, before routing runs. It reads the request target as the client sent
/// it: the server removes "." and ".." segments from the path (<c>/v1/users/../messages</c> becomes
/// <c>/v1/messages</c>), so without this those ids would be answered "no such route" or "method not allowed" instead
/// of "invalid user id".
/// </summary>
internal sealed class UserIdCheck(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (OwnerSegment(context) is ({ } id, var scope) && Problem(id, scope) is { } problem)
        {
            throw ApiProblemException.BadRequest(problem);
        }

        return next(context);
    }

    /// <summary>The rule, as every refusal states it: "a user id is 1–128 characters: ...".</summary>
    public static string Rule(OwnerScope scope) =>
        $"{(scope == OwnerScope.Agent ? "an" : "a")} {MemoryOwner.ScopeName(scope)} id is 1–{KeySegment.MaxLength} characters: letters, digits, '-', '_', '.' and '@', and not '.' or '..'";

    /// <summary>Why <paramref name="id"/> is not a valid id of a <paramref name="scope"/> owner, or null when it is.</summary>
    public static string? Problem(string id, OwnerScope scope = OwnerScope.User)
    {
        var what = $"Invalid {MemoryOwner.ScopeName(scope)} id";
        var rule = Rule(scope);
        if (id.Length == 0)
        {
            return $"{what}: it is empty; {rule}.";
        }

        if (id.Length > KeySegment.MaxLength)
        {
            return $"{what}: it is {id.Length} characters long; {rule}.";
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
            {
                return $"{what} '{Printable(id)}': it contains '{Printable(c.ToString())}'; {rule}.";
            }
        }

        return id is "." or ".." ? $"{what} '{id}'; {rule}." : null;
    }

    // The owner segment of a memory route as sent (percent-decoded) and the route's scope; no id for other routes.
    private static (string? Id, OwnerScope Scope) OwnerSegment(HttpContext context)
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

        if (OwnerRoutes.ScopeOfPath(path) is not { } route)
        {
            return (null, OwnerScope.User);
        }

        var rest = path[route.Prefix.Length..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        var segment = end >= 0 ? rest[..end] : rest;
        if (segment.Length == 0 && end < 0)
        {
            return (null, route.Scope); // "/v1/users/": no owner route; the router answers.
        }

        try
        {
            return (Uri.UnescapeDataString(segment), route.Scope);
        }
        catch (UriFormatException)
        {
            return (segment, route.Scope);
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
