using System.Globalization;
using System.Text.RegularExpressions;

namespace HelaMem.Core.Consolidation;

/// <summary>
/// Resolves the relative time expressions people use in chat ("yesterday", "last Saturday", "two weeks ago", "next
/// month") against the turn's own timestamp, so a fact distilled months later still says when it happened. Only
/// expressions that resolve without guessing are handled; anything else is left as said.
/// </summary>
public static partial class RelativeDates
{
    /// <summary>A resolved expression: where it is in the sentence and the phrase that replaces it.</summary>
    /// <param name="Index">Start of the expression.</param>
    /// <param name="Length">Its length.</param>
    /// <param name="Phrase">The absolute phrase ("on 2023-05-07", "in the week of 2023-05-01", "in June 2023", "in 2022").</param>
    public readonly record struct Resolution(int Index, int Length, string Phrase);

    /// <summary>The first relative expression in <paramref name="sentence"/> resolved against <paramref name="said"/>, or null.</summary>
    public static Resolution? Resolve(string sentence, DateTimeOffset said)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var match = Expression().Match(sentence);
        while (match.Success)
        {
            if (PhraseFor(match, DateOnly.FromDateTime(said.Date)) is { } phrase)
            {
                return new Resolution(match.Index, match.Length, phrase);
            }

            match = match.NextMatch();
        }

        return null;
    }

    /// <summary>Rewrites the first resolvable expression in place; returns the sentence unchanged when there is none.</summary>
    public static string Apply(string sentence, DateTimeOffset said, out bool resolved)
    {
        resolved = false;
        if (Resolve(sentence, said) is not { } resolution)
        {
            return sentence;
        }

        resolved = true;
        return string.Concat(sentence.AsSpan(0, resolution.Index), resolution.Phrase, sentence.AsSpan(resolution.Index + resolution.Length));
    }

    private static string? PhraseFor(Match match, DateOnly day)
    {
        var text = match.Value.ToLowerInvariant();
        if (match.Groups["weekday"].Success)
        {
            var target = Weekday(match.Groups["weekday"].Value);
            var back = ((int)day.DayOfWeek - (int)target + 7) % 7;
            return On(day.AddDays(back == 0 ? -7 : -back));
        }

        if (match.Groups["count"].Success)
        {
            var count = Number(match.Groups["count"].Value);
            if (count is null)
            {
                return null;
            }

            return match.Groups["unit"].Value.ToLowerInvariant().TrimEnd('s') switch
            {
                "day" => On(day.AddDays(-count.Value)),
                "week" => WeekOf(day.AddDays(-7 * count.Value)),
                "month" => In(day.AddMonths(-count.Value)),
                "year" => string.Create(CultureInfo.InvariantCulture, $"in {day.Year - count.Value}"),
                _ => null,
            };
        }

        return text switch
        {
            "yesterday" or "last night" => On(day.AddDays(-1)),
            "today" or "tonight" or "this morning" or "this afternoon" or "this evening" => On(day),
            "tomorrow" => On(day.AddDays(1)),
            "last week" => WeekOf(day.AddDays(-7)),
            "this week" => WeekOf(day),
            "next week" => WeekOf(day.AddDays(7)),
            "last weekend" => WeekendBefore(day),
            "this weekend" => On(day.AddDays(((int)DayOfWeek.Saturday - (int)day.DayOfWeek + 7) % 7)),
            "last month" => In(day.AddMonths(-1)),
            "this month" => In(day),
            "next month" => In(day.AddMonths(1)),
            "last year" => string.Create(CultureInfo.InvariantCulture, $"in {day.Year - 1}"),
            "this year" => string.Create(CultureInfo.InvariantCulture, $"in {day.Year}"),
            "next year" => string.Create(CultureInfo.InvariantCulture, $"in {day.Year + 1}"),
            "last summer" => string.Create(CultureInfo.InvariantCulture, $"in summer {(day.Month > 8 ? day.Year : day.Year - 1)}"),
            _ => null,
        };
    }

    private static string On(DateOnly day) => "on " + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string In(DateOnly day) => "in " + day.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    // The Monday that starts the (ISO) week holding the day.
    private static string WeekOf(DateOnly day) =>
        "in the week of " + day.AddDays(-(((int)day.DayOfWeek + 6) % 7)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // The Saturday of the last weekend that ended before the day.
    private static string WeekendBefore(DateOnly day)
    {
        var back = ((int)day.DayOfWeek - (int)DayOfWeek.Saturday + 7) % 7;
        if (back <= 1)
        {
            back += 7;
        }

        return "on the weekend of " + day.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static DayOfWeek Weekday(string name) => name.ToLowerInvariant()[..3] switch
    {
        "mon" => DayOfWeek.Monday,
        "tue" => DayOfWeek.Tuesday,
        "wed" => DayOfWeek.Wednesday,
        "thu" => DayOfWeek.Thursday,
        "fri" => DayOfWeek.Friday,
        "sat" => DayOfWeek.Saturday,
        _ => DayOfWeek.Sunday,
    };

    private static int? Number(string word) => word.ToLowerInvariant() switch
    {
        "a" or "an" or "one" => 1,
        "two" or "a couple of" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        var digits when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100 => n,
        _ => null,
    };

    [GeneratedRegex(
        @"\b(?:(?:last|this past) (?<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri|sat|sun)|(?<count>a couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) (?<unit>days?|weeks?|months?|years?) ago|yesterday|last night|today|tonight|this morning|this afternoon|this evening|tomorrow|(?:last|this|next) (?:week|weekend|month|year)|last summer)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Expression();
}
