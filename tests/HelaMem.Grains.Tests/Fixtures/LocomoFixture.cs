using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.Tests.Fixtures;

/// <summary>
/// Reads one LoCoMo development conversation (../shared/datasets/locomo) as the evaluation does: one message per turn,
/// "Speaker: text" plus "[shares caption]", the session's date as its time, questions in file order.
/// </summary>
internal static partial class LocomoFixture
{
    public static string? DatasetDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "shared", "datasets", "locomo");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }

    public static (IReadOnlyList<IngestMessage> Messages, IReadOnlyList<string> Questions, DateTimeOffset End) Read(string id)
    {
        var directory = DatasetDirectory ?? throw new InvalidOperationException("The LoCoMo development split (shared/datasets/locomo) was not found above the test directory.");
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, $"conv-{id}.json")));
        var conversation = document.RootElement;
        var messages = new List<IngestMessage>();
        for (var session = 1; conversation.TryGetProperty($"session_{session}", out var turns); session++)
        {
            var date = ParseDate(conversation.GetProperty($"session_{session}_date_time").GetString()!);
            foreach (var turn in turns.EnumerateArray())
            {
                var speaker = turn.GetProperty("speaker").GetString()!;
                var text = $"{speaker}: {turn.GetProperty("text").GetString()}";
                if (turn.TryGetProperty("blip_caption", out var caption) && caption.ValueKind == JsonValueKind.String)
                {
                    text += $" [shares {caption.GetString()}]";
                }

                messages.Add(new IngestMessage(text, speaker, date, id));
            }
        }

        var questions = document.RootElement.GetProperty("qa").EnumerateArray().Select(q => q.GetProperty("question").GetString()!).ToList();
        return (messages, questions, messages.Max(m => m.Timestamp));
    }

    // "1:56 pm on 8 May, 2023"
    private static DateTimeOffset ParseDate(string text)
    {
        var match = SessionDate().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"Unexpected LoCoMo session date '{text}'.");
        }

        var hour = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) % 12 + (match.Groups[3].Value.Equals("pm", StringComparison.OrdinalIgnoreCase) ? 12 : 0);
        var month = DateTime.ParseExact(match.Groups[5].Value, "MMMM", CultureInfo.InvariantCulture).Month;
        return new DateTimeOffset(int.Parse(match.Groups[6].Value, CultureInfo.InvariantCulture), month, int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture),
            hour, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0, TimeSpan.Zero);
    }

    [GeneratedRegex(@"(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),\s*(\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex SessionDate();
}
