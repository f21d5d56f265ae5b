using System.Globalization;
using System.Text;
using System.Text.Json;
using HelaMem.Abstractions.Contracts;
using HelaMem.Grains.Distillation;

namespace HelaMem.Silo.Distillation;

/// <summary>
/// The paper's extraction prompt: from a cluster of turns, a user profile (traits, preferences, style, values) merged
/// with the existing one, user facts (events with dates, places, stated preferences) and agent knowledge, as JSON.
/// </summary>
internal static class LlmExtractionPrompt
{
    /// <summary>The instructions (the system message).</summary>
    public const string Instructions = """
        You consolidate a conversation memory into semantic memory. Read the conversation turns and the existing profile,
        and answer with one JSON object and nothing else:
        {
          "profile": [{"subject": "<person>", "attribute": "<short attribute name>", "text": "<one sentence>", "sources": [<turn ids>]}],
          "facts": [{"subject": "<person>", "text": "<one sentence with the absolute date>", "date": "<yyyy-MM-dd or yyyy-MM or yyyy or null>", "sources": [<turn ids>]}],
          "agent_knowledge": [{"text": "<what the assistant said about itself>", "sources": [<turn ids>]}]
        }
        Profile: each speaker's traits, preferences, style and values, one attribute per item. Name attributes with
        these where they fit: "age", "relationship", "pregnant", "retired", "lives in", "from", "work",
        "favorite: <what>", "preference: <object>", "identity: <what>", "trait: <trait>", "has: <noun>",
        "values: <object>", "goal: <object>", "activity: <verb> <object>" (e.g. "favorite: food",
        "preference: painting", "has: dog"); otherwise a short attribute name of your own. Merge with the existing
        profile: when the turns update or contradict an existing item, return it with the SAME subject and attribute and
        the new text (it replaces the old one); return new items with new attributes; do not repeat unchanged existing
        items.
        Facts: events with their dates and places, and stated preferences. Resolve relative dates ("yesterday", "last
        week") against the date of the turn that says them, and write the absolute date into the text.
        Sources: the ids of the turns each item comes from, taken from the list. Use only what the turns say.
        Answer with empty lists when there is nothing to keep.
        """;

    /// <summary>The request (the user message): the existing profile and the turns with their ids and dates.</summary>
    public static string Request(DistillationRequest request)
    {
        var text = new StringBuilder();
        text.Append("Existing profile (subject | attribute | text):\n");
        var profile = request.ExistingItems.Where(i => i.Kind == SemanticItemKind.Profile).ToList();
        if (profile.Count == 0)
        {
            text.Append("(none)\n");
        }

        foreach (var item in profile)
        {
            var (subject, attribute) = LlmSlots.Split(item.Slot);
            text.Append(subject ?? item.Subject ?? "?").Append(" | ").Append(attribute ?? "?").Append(" | ").Append(item.Text).Append('\n');
        }

        text.Append("\nConversation turns (id | date | speaker: text):\n");
        foreach (var member in request.Cluster.OrderBy(m => m.Timestamp).ThenBy(m => m.NodeId))
        {
            text.Append(member.NodeId.ToString(CultureInfo.InvariantCulture)).Append(" | ")
                .Append(member.Timestamp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(" | ")
                .Append(member.Speaker).Append(": ").Append(Body(member.Content, member.Speaker)).Append('\n');
        }

        return text.ToString();
    }

    // The content without a leading "Speaker:" that the line already shows.
    private static string Body(string content, string speaker) =>
        content.StartsWith(speaker + ":", StringComparison.Ordinal) ? content[(speaker.Length + 1)..].TrimStart() : content;

    /// <summary>JSON options for reading the answer.</summary>
    public static readonly JsonDocumentOptions Json = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
}
