using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HelaMem.Client.Mcp;

/// <summary>
/// Says in the API's own words which tool argument cannot be read and what it must be, for example
/// <c>argument 'topK' must be an integer; it is the string "five".</c> The MCP SDK binds each argument to its parameter
/// with System.Text.Json: a value of the wrong kind fails there with a message that names a .NET type and not the
/// argument, a JSON null reaches a parameter that is never null, and a missing argument is named in the SDK's words. So the arguments are checked against the tool's
/// input schema before the call (<see cref="Problem"/>), and what only the parameter's .NET type can refuse (a number
/// too large for it) is described after (<see cref="Describe"/>). Both MCP servers use it, so a malformed call gets the
/// same answer from either. Values the API itself checks (ranges, empty text, unknown ids) are left to the API.
/// Inside an object argument (a search filter, a message) a field the object does not have is refused: the API's JSON
/// reader ignores it, so a misspelt field would quietly change the call (<c>"speaker"</c> for <c>"speakers"</c> would be
/// a filter that filters nothing), and the refusal lists the fields there are.
/// </summary>
public static partial class ToolArguments
{
    private const string DateTime = "a date-time in ISO 8601 (for example 2024-05-01T09:00:00Z)";

    /// <summary>
    /// Why the arguments do not fit the tool's input schema (a required one missing, a value of the wrong kind, a null
    /// where none is allowed, a malformed date-time), or null when they fit.
    /// </summary>
    public static string? Problem(JsonElement inputSchema, IEnumerable<KeyValuePair<string, JsonElement>>? arguments)
    {
        if (arguments is null || inputSchema.ValueKind != JsonValueKind.Object || !inputSchema.TryGetProperty("properties", out var properties))
        {
            return null;
        }

        var given = arguments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!given.ContainsKey(name))
                {
                    return $"argument '{name}' is required.";
                }
            }
        }

        foreach (var (name, value) in given)
        {
            if (properties.TryGetProperty(name, out var schema) && Misfit(value, schema, name) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>
    /// Why the binder could not read an argument that fits the schema (<paramref name="failure"/> is what it threw):
    /// in practice a whole number outside its parameter's range.
    /// </summary>
    public static string Describe(JsonException failure, IEnumerable<KeyValuePair<string, JsonElement>>? arguments)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var steps = PathSteps(failure.Path);
        var type = ConversionFailure().Match(failure.Message) is { Success: true } match ? TypeNamed(match.Groups["type"].Value) : null;
        if (type == typeof(int) || type == typeof(long))
        {
            foreach (var (name, value) in arguments ?? [])
            {
                if (At(value, steps) is { ValueKind: JsonValueKind.Number } number && !Converts(number, type))
                {
                    var range = type == typeof(int) ? $"{int.MinValue} to {int.MaxValue}" : $"{long.MinValue} to {long.MaxValue}";
                    return $"argument '{Field(name, steps)}' must be an integer from {range}; it is {Shown(number)}.";
                }
            }
        }

        return "The arguments could not be read; each must be of the kind the tool's input schema describes.";
    }

    private static string? Misfit(JsonElement value, JsonElement schema, string field)
    {
        var types = Types(schema);
        if (types.Count > 0 && !types.Any(type => Fits(value, type, schema)))
        {
            return $"argument '{field}' must be {Expected(types, schema)}; it is {Shown(value)}.";
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Misfit(item, items, $"{field}[{index++}]") is { } problem)
                {
                    return problem;
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            var named = schema.TryGetProperty("properties", out var properties) ? properties : default;
            var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
            var others = hasAdditional && additional.ValueKind == JsonValueKind.Object ? additional : default;
            foreach (var property in value.EnumerateObject())
            {
                var known = named.ValueKind == JsonValueKind.Object ? PropertyIgnoreCase(named, property.Name) : null;
                if (named.ValueKind == JsonValueKind.Object && known is null && (!hasAdditional || additional.ValueKind == JsonValueKind.False))
                {
                    return $"argument '{field}.{property.Name}' is not known; the fields of '{field}' are {Fields(named)}.";
                }

                var propertySchema = known ?? others;
                if (propertySchema.ValueKind == JsonValueKind.Object
                    && Misfit(property.Value, propertySchema, named.ValueKind == JsonValueKind.Object ? $"{field}.{property.Name}" : $"{field}['{property.Name}']") is { } problem)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    // A schema's "type": one name or a list of names ("string", ["integer", "null"]).
    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.String ? [type.GetString()!]
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)]
        : [];

    // Whether the binder reads the value as the type (the wire format reads numbers from strings too).
    private static bool Fits(JsonElement value, string type, JsonElement schema) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number ? IsWhole(value.GetRawText()) : value.ValueKind == JsonValueKind.String && IsWhole(value.GetString()!),
        "number" => value.ValueKind == JsonValueKind.Number || (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)),
        "string" => value.ValueKind == JsonValueKind.String && (!IsDateTime(schema) || Converts(value, typeof(DateTimeOffset))),
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    };

    // An integer as the binder reads one: digits with an optional sign (no fraction or exponent); its size is the
    // parameter type's to check.
    private static bool IsWhole(string text) =>
        text.Length > 0 && text.AsSpan(text[0] == '-' ? 1 : 0).IndexOfAnyExceptInRange('0', '9') < 0 && text != "-";

    private static bool IsDateTime(JsonElement schema) => schema.TryGetProperty("format", out var format) && format.ValueEquals("date-time");

    private static string Expected(List<string> types, JsonElement schema) =>
        string.Join(" or ", types.Where(type => type != "null").Select(type => type switch
        {
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "true or false",
            "string" => IsDateTime(schema) ? DateTime : "a string",
            "array" => "an array",
            "object" => schema.TryGetProperty("additionalProperties", out var values) ? ObjectOf(values) : "an object",
            _ => type,
        }).DefaultIfEmpty("null"));

    // A map's values (a schema's "additionalProperties"): a null allowed among them is not worth saying.
    private static string ObjectOf(JsonElement values) =>
        Types(values).Where(type => type != "null").ToList() switch
        {
            ["string"] => "an object of string values",
            ["array"] when values.TryGetProperty("items", out var items) && Types(items).Contains("string") => "an object of lists of strings",
            _ => "an object",
        };

    // "content, speaker and role": a schema's property names, for a refusal that lists them.
    private static string Fields(JsonElement properties)
    {
        var names = properties.EnumerateObject().Select(p => p.Name).ToList();
        return names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }

    // "$[0].timestamp" → ["[0]", "timestamp"]; "$['dia_id']" → ["dia_id"]; "$" → [].
    private static string[] PathSteps(string? path) =>
        string.IsNullOrEmpty(path)
            ? []
            : [.. PathStep().Matches(path.TrimStart('$')).Select(m => m.Value.StartsWith("['", StringComparison.Ordinal) ? m.Value[2..^2] : m.Value)];

    private static string Field(string name, string[] steps) => name + string.Concat(steps.Select(step => step.StartsWith('[') ? step : "." + step));

    private static JsonElement? At(JsonElement element, string[] steps)
    {
        foreach (var step in steps)
        {
            if (step.StartsWith('[') && element.ValueKind == JsonValueKind.Array
                && int.TryParse(step.AsSpan(1, step.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else if (element.ValueKind == JsonValueKind.Object && PropertyIgnoreCase(element, step) is { } property)
            {
                element = property;
            }
            else
            {
                return null;
            }
        }

        return element;
    }

    // The wire format reads property names case-insensitively.
    private static JsonElement? PropertyIgnoreCase(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static bool Converts(JsonElement element, Type type)
    {
        try
        {
            JsonSerializer.Deserialize(element, type, ToolJson.Options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The binder names the type as .NET spells it ("System.Int32", "System.Nullable`1[System.Int64]").
    private static Type? TypeNamed(string name) => Type.GetType(name) is { } type ? Nullable.GetUnderlyingType(type) ?? type : null;

    private static string Shown(JsonElement element)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "the string " + element.GetRawText(),
            _ => element.GetRawText(),
        };
        var shown = new StringBuilder();
        foreach (var c in text.Length > 80 ? text[..80] + "…" : text)
        {
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return shown.ToString();
    }

    [GeneratedRegex(@"\[\d+\]|\['[^']*'\]|[^.\[\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex PathStep();

    [GeneratedRegex(@"converted to (?<type>\S+?)\.? Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
