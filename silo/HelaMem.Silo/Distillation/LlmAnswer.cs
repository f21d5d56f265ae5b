using System.Text.Json;
using HelaMem.Abstractions.Contracts;

namespace HelaMem.Silo.Distillation;

/// <summary>
/// Reads the chat model's extraction answer defensively: a code fence around the JSON is tolerated, anything that is
/// not the expected object (or an item without text) makes the whole answer unusable, so nothing is half-stored.
/// Sources outside the cluster are dropped; an item left without sources is derived from the whole cluster.
/// </summary>
internal static class LlmAnswer
{
    private const int MaxTextLength = 1000;

    /// <summary>Parses <paramref name="answer"/>; false with the reason when it is not usable.</summary>
    public static bool TryParse(string? answer, IReadOnlySet<long> clusterIds, out List<SemanticItemData> items, out string problem)
    {
        items = [];
        problem = "";
        var json = Unfence(answer ?? "");
        if (json.Length == 0)
        {
            problem = "the answer is empty";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json, LlmExtractionPrompt.Json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the answer is not a JSON object";
                return false;
            }

            var parsed = new List<SemanticItemData>();
            if (!Read(root, "profile", SemanticItemKind.Profile, clusterIds, parsed, out problem)
                || !Read(root, "facts", SemanticItemKind.Fact, clusterIds, parsed, out problem)
                || !Read(root, "agent_knowledge", SemanticItemKind.AgentKnowledge, clusterIds, parsed, out problem))
            {
                return false;
            }

            items = parsed;
            return true;
        }
        catch (JsonException exception)
        {
            problem = $"the answer is not valid JSON (at byte {exception.BytePositionInLine ?? 0} of line {exception.LineNumber ?? 0})";
            return false;
        }
    }

    private static bool Read(JsonElement root, string property, SemanticItemKind kind, IReadOnlySet<long> clusterIds, List<SemanticItemData> items, out string problem)
    {
        problem = "";
        if (!root.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            problem = $"'{property}' is not a list";
            return false;
        }

        foreach (var element in list.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || Text(element, "text") is not { } text || text.Length > MaxTextLength)
            {
                problem = $"an item of '{property}' has no text (or text over {MaxTextLength} characters)";
                return false;
            }

            var subject = Text(element, "subject");
            var attribute = Text(element, "attribute");
            var slot = kind == SemanticItemKind.Profile && subject is not null && attribute is not null ? LlmSlots.Of(subject, attribute) : null;
            items.Add(new SemanticItemData(kind, text, Sources(element, clusterIds), subject, slot));
        }

        return true;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text)
            ? text.Trim()
            : null;

    private static long[] Sources(JsonElement element, IReadOnlySet<long> clusterIds)
    {
        var sources = new SortedSet<long>();
        if (element.TryGetProperty("sources", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in list.EnumerateArray())
            {
                if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value) && clusterIds.Contains(value))
                {
                    sources.Add(value);
                }
            }
        }

        return sources.Count > 0 ? [.. sources] : [.. clusterIds.Order()];
    }

    // The JSON inside a ```json … ``` fence, when the model added one despite the JSON response format.
    private static string Unfence(string answer)
    {
        var text = answer.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var start = text.IndexOf('\n', StringComparison.Ordinal);
        var end = text.LastIndexOf("```", StringComparison.Ordinal);
        return start > 0 && end > start ? text[(start + 1)..end].Trim() : "";
    }
}
