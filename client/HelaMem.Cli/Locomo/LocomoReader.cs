using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HelaMem.Cli.Locomo;

/// <summary>Reads LoCoMo conversation files (<c>conv-&lt;id&gt;.json</c>, the released format; see the dataset README).</summary>
public static partial class LocomoReader
{
    private static readonly string[] DateFormats = ["h:mm tt 'on' d MMMM, yyyy", "h:mm tt 'on' d MMM, yyyy", "h:mm tt 'on' dd MMMM, yyyy"];

    /// <summary>The conversation ids of the <c>conv-*.json</c> files in <paramref name="directory"/>, numerically ordered where numeric.</summary>
    public static List<string> ListIds(string directory)
    {
        return [.. Directory.EnumerateFiles(directory, "conv-*.json")
            .Select(path => Path.GetFileNameWithoutExtension(path)["conv-".Length..])
            .OrderBy(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue)
            .ThenBy(id => id, StringComparer.Ordinal)];
    }

    /// <summary>The file of conversation <paramref name="id"/> in <paramref name="directory"/>.</summary>
    public static string PathOf(string directory, string id) => Path.Combine(directory, $"conv-{id}.json");

    /// <summary>Reads one conversation file.</summary>
    public static LocomoConversation Read(string path)
    {
        var id = Path.GetFileNameWithoutExtension(path);
        id = id.StartsWith("conv-", StringComparison.Ordinal) ? id["conv-".Length..] : id;
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            return Read(id, document.RootElement);
        }
        catch (JsonException e)
        {
            throw new LocomoFormatException($"{path}: not valid JSON ({e.Message})", e);
        }
        catch (LocomoFormatException e)
        {
            throw new LocomoFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a conversation from its JSON object.</summary>
    public static LocomoConversation Read(string id, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LocomoFormatException("the file must hold one JSON object");
        }

        // Sessions are session_<n> arrays with a session_<n>_date_time string; some date keys have no session.
        var sessions = new List<(int Number, JsonElement Turns)>();
        foreach (var property in root.EnumerateObject())
        {
            var match = SessionKey().Match(property.Name);
            if (match.Success && property.Value.ValueKind == JsonValueKind.Array)
            {
                sessions.Add((int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), property.Value));
            }
        }

        if (sessions.Count == 0)
        {
            throw new LocomoFormatException("no session_<n> turn lists");
        }

        sessions.Sort((a, b) => a.Number.CompareTo(b.Number));
        var turns = new List<LocomoTurn>();
        foreach (var (number, sessionTurns) in sessions)
        {
            var dateKey = $"session_{number}_date_time";
            if (!root.TryGetProperty(dateKey, out var dateElement) || dateElement.ValueKind != JsonValueKind.String)
            {
                throw new LocomoFormatException($"session {number} has no {dateKey} string");
            }

            var time = ParseSessionDate(dateElement.GetString()!);
            foreach (var turn in sessionTurns.EnumerateArray())
            {
                var caption = turn.TryGetProperty("blip_caption", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                turns.Add(new LocomoTurn(
                    RequiredString(turn, "dia_id", $"a turn of session {number}"),
                    number,
                    RequiredString(turn, "speaker", $"a turn of session {number}"),
                    RequiredString(turn, "text", $"a turn of session {number}"),
                    string.IsNullOrWhiteSpace(caption) ? null : caption,
                    time));
            }
        }

        var questions = new List<LocomoQuestion>();
        if (root.TryGetProperty("qa", out var qa))
        {
            if (qa.ValueKind != JsonValueKind.Array)
            {
                throw new LocomoFormatException("qa must be a list");
            }

            foreach (var question in qa.EnumerateArray())
            {
                var text = RequiredString(question, "question", "a question");
                if (!question.TryGetProperty("category", out var category) || !category.TryGetInt32(out var categoryNumber) || categoryNumber is < 1 or > 5)
                {
                    throw new LocomoFormatException($"question \"{text}\" has no category 1–5");
                }

                var evidence = new List<string>();
                if (question.TryGetProperty("evidence", out var evidenceElement) && evidenceElement.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in evidenceElement.EnumerateArray())
                    {
                        // A few annotations pack two ids into one string ("D8:6; D9:17").
                        evidence.AddRange((item.GetString() ?? string.Empty)
                            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    }
                }

                questions.Add(new LocomoQuestion(text, categoryNumber, evidence, categoryNumber == 5 ? null : AnswerOf(question)));
            }
        }

        return new LocomoConversation(id, turns, questions);
    }

    /// <summary>Parses a session date such as <c>"1:56 pm on 8 May, 2023"</c> (no time zone: read as UTC).</summary>
    public static DateTimeOffset ParseSessionDate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
        }

        throw new LocomoFormatException($"cannot read the session date \"{text}\" (expected e.g. \"1:56 pm on 8 May, 2023\")");
    }

    // Gold answers are strings, or numbers for some years and counts; an answer of another kind is no answer.
    private static string? AnswerOf(JsonElement question) =>
        question.TryGetProperty("answer", out var answer)
            ? answer.ValueKind switch
            {
                JsonValueKind.String => answer.GetString(),
                JsonValueKind.Number => answer.GetRawText(),
                _ => null,
            }
            : null;

    private static string RequiredString(JsonElement element, string name, string what)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new LocomoFormatException($"{what} has no \"{name}\" string");
        }

        return value.GetString()!;
    }

    [GeneratedRegex("^session_([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionKey();
}
