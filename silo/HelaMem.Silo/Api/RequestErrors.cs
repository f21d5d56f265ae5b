using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using HelaMem.Client.Contracts;

namespace HelaMem.Silo.Api;

/// <summary>
/// Says in the API's own words why a request could not be read: which field (as the body spells it, for example
/// <c>messages[3].content</c>) or query parameter, what it must be and, for numbers, the allowed range. Framework
/// internals (.NET type names, parameter declarations, byte positions) never reach the client.
/// </summary>
internal static partial class RequestErrors
{
    // The documented ranges of the numeric fields (the services check them again with the value).
    private static readonly Dictionary<string, string> Ranges = new(StringComparer.Ordinal)
    {
        ["topK"] = $" between 1 and {ApiDefaults.MaxTopK}",
        ["maxFlipped"] = $" between 0 and {ApiDefaults.MaxTopK}",
        ["retrievalId"] = " of at least 1",
        ["maxUsers"] = " of at least 1 (or null)",
        ["maxMessagesPerIngest"] = " between 1 and 1000",
        ["maxMessageLength"] = " between 1 and 16384",
        ["offset"] = " of at least 0",
        ["limit"] = $" between 1 and {ApiDefaults.MaxPageSize}",
    };

    /// <summary>Why the body or a query parameter could not be bound.</summary>
    public static string Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return "The body must be JSON sent with 'Content-Type: application/json'.";
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return OneLine(bad.Message);
        }

        for (Exception? inner = bad; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return Describe(json);
            }

            if (inner is DecoderFallbackException || inner.Message.Contains("UTF-8", StringComparison.Ordinal))
            {
                return "The body is not valid UTF-8 text.";
            }
        }

        if (BindFailure().Match(bad.Message) is { Success: true } bind)
        {
            return $"query parameter '{bind.Groups["name"].Value}' must be {Expected(bind.Groups["type"].Value)}{Range(bind.Groups["name"].Value)}; it is '{Printable(bind.Groups["value"].Value)}'.";
        }

        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return "The body is missing; send a JSON object with 'Content-Type: application/json'.";
        }

        return "The request could not be read (its line, headers or body are malformed).";
    }

    /// <summary>Why a JSON body could not be read.</summary>
    public static string Describe(JsonException json)
    {
        var field = FieldOf(json.Path);
        for (Exception? inner = json; inner is not null; inner = inner.InnerException)
        {
            if (inner is DecoderFallbackException || inner.Message.Contains("UTF-8", StringComparison.Ordinal))
            {
                return field is null ? "The body is not valid UTF-8 text." : $"The body is not valid UTF-8 text (at field '{field}').";
            }
        }

        if (ConversionFailure().Match(json.Message) is { Success: true } conversion)
        {
            var expected = field is null ? "a JSON object" : Expected(FieldType(conversion.Groups["type"].Value, field));
            return field is null
                ? $"The body must be {expected}."
                : $"field '{field}' must be {expected}{Range(LastName(field))}.";
        }

        if (json.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "The body is empty; send a JSON object.";
        }

        return field is null ? "The body is not valid JSON." : $"The body is not valid JSON (the error is at field '{field}').";
    }

    // "$.messages[3].content" → "messages[3].content"; the root is null.
    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string LastName(string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? name[..bracket] : name;
    }

    private static string Range(string name) => Ranges.TryGetValue(name, out var range) ? range : "";

    // The type the failing field has: the exception names a type (the field's own, or the object that holds it), the
    // path leads from that type to the field.
    private static Type? FieldType(string typeName, string field)
    {
        var steps = FieldStep().Matches(field).Select(m => m.Value).ToArray();
        var named = Type.GetType(typeName) ?? typeof(SearchRequest).Assembly.GetType(typeName);
        if (named is not null)
        {
            for (var skip = 0; skip <= steps.Length; skip++)
            {
                if (Walk(named, steps.AsSpan(skip)) is { } found)
                {
                    return found;
                }
            }
        }

        // A type the name does not resolve (a generic collection of contract types): the path from the bodies' roots.
        return Bodies.Select(body => Walk(body, steps)).FirstOrDefault(found => found is not null);
    }

    private static readonly Type[] Bodies =
        [typeof(IngestRequest), typeof(SearchRequest), typeof(UsageReport), typeof(CreateTenantRequest), typeof(TenantSettingsUpdate)];

    private static Type? Walk(Type type, ReadOnlySpan<string> steps)
    {
        foreach (var step in steps)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (step.StartsWith('['))
            {
                if (ElementType(type) is not { } element)
                {
                    return null;
                }

                type = element;
            }
            else if (DictionaryValueType(type) is { } value)
            {
                type = value;
            }
            else if (type.GetProperty(step, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { } property)
            {
                type = property.PropertyType;
            }
            else
            {
                return null;
            }
        }

        return Nullable.GetUnderlyingType(type) ?? type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type == typeof(string) ? null
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))?.GetGenericArguments()[1];

    // What a .NET type means on the wire.
    private static string Expected(Type? type) => type switch
    {
        null => "a value of another type",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "an integer",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date-time in ISO 8601 (for example 2024-05-01T09:00:00Z)",
        _ when type == typeof(string) => "a string",
        _ when DictionaryValueType(type) is { } value => $"an object of {Plural(Expected(value))}",
        _ when ElementType(type) is { } element => $"an array of {Plural(Expected(element))}",
        _ => "an object",
    };

    // Query parameters are declared in C# ("int? limit").
    private static string Expected(string declared) => NullableDeclaration().Replace(declared, "$1").TrimEnd('?') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => "an integer",
        "double" or "float" or "decimal" or "Double" or "Single" or "Decimal" => "a number",
        "bool" or "Boolean" => "true or false",
        _ => "a value of another type",
    };

    private static string Plural(string expected) => expected switch
    {
        "an integer" => "integers",
        "a number" => "numbers",
        "a string" => "strings",
        "true or false" => "true or false values",
        "an object" => "objects",
        _ => "values",
    };

    private static string Printable(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value.Length > 64 ? value[..64] : value)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return text.ToString();
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex(@"\[\d+\]|[^.\[\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex FieldStep();

    [GeneratedRegex(@"^(?:System\.)?Nullable<(?:System\.)?(.+)>$", RegexOptions.CultureInvariant)]
    private static partial Regex NullableDeclaration();

    [GeneratedRegex(@"converted to (?<type>\S+?)\.? Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>[^"]+)" from "(?<value>.*)"\.""", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex BindFailure();
}
