using System.Text.RegularExpressions;

namespace HelaMem.Core.Consolidation;

/// <summary>
/// Rewrites a first-person statement about the speaker into a statement about them by name ("I went to my
/// sister's" → "Melanie went to Melanie's sister's"), so a fact still reads right when it is shown without the turn.
/// Only the speaker's own pronouns are changed; "we" keeps the speaker as its subject ("Melanie and others").
/// </summary>
public static partial class ThirdPerson
{
    // Verbs whose present tense follows "I" often enough in chat that "Melanie love" would otherwise be printed.
    private static readonly HashSet<string> PresentVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "love", "like", "enjoy", "adore", "prefer", "hate", "dislike", "want", "need", "think", "feel", "know", "hope",
        "plan", "work", "live", "play", "paint", "draw", "run", "swim", "hike", "cook", "bake", "sing", "dance",
        "volunteer", "teach", "knit", "garden", "read", "write", "go", "believe", "value", "care", "try", "study",
        "make", "take", "get", "keep", "see", "wish", "miss", "remember", "agree", "guess", "mean", "watch", "listen",
        "collect", "practice", "practise", "visit", "attend", "own", "use", "help", "spend", "find", "am",
    };

    private static readonly HashSet<string> Adverbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "really", "just", "also", "totally", "absolutely", "still", "usually", "often", "always", "never", "actually",
        "truly", "definitely", "sometimes", "even", "recently", "finally", "already",
    };

    /// <summary>The statement with the speaker's first-person pronouns replaced by <paramref name="name"/>.</summary>
    public static string Rewrite(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var result = Contraction().Replace(text, match => match.Groups["c"].Value.ToLowerInvariant() switch
        {
            "'m" or " am" => $"{name} is",
            "'ve" or " have" => $"{name} has",
            "'d" => $"{name} would",
            "'ll" => $"{name} will",
            " was" => $"{name} was",
            " do" => $"{name} does",
            " don't" => $"{name} doesn't",
            " didn't" => $"{name} didn't",
            _ => match.Value,
        });
        result = SubjectVerb().Replace(result, match =>
        {
            var adverb = match.Groups["adv"].Value;
            var verb = match.Groups["verb"].Value;
            return PresentVerbs.Contains(verb) && (adverb.Length == 0 || Adverbs.Contains(adverb.Trim()))
                ? $"{name}{adverb} {Conjugate(verb)}"
                : match.Value;
        });
        result = WePronouns().Replace(result, match => match.Value.ToLowerInvariant() switch
        {
            "we're" => $"{name} and others are",
            "we've" => $"{name} and others have",
            "we'll" => $"{name} and others will",
            "we'd" => $"{name} and others would",
            "we" => $"{name} and others",
            "us" => $"{name} and others",
            "our" or "ours" => $"{name}'s",
            _ => match.Value,
        });
        return Pronoun().Replace(result, match => match.Value.ToLowerInvariant() switch
        {
            "i" or "me" or "myself" => name,
            "my" or "mine" => $"{name}'s",
            _ => match.Value,
        });
    }

    /// <summary>The third-person singular of a present-tense verb ("go" → "goes", "try" → "tries", "have" → "has").</summary>
    public static string Conjugate(string verb)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        var lower = verb.ToLowerInvariant();
        if (lower is "have")
        {
            return "has";
        }

        if (lower is "am")
        {
            return "is";
        }

        if (lower.EndsWith('y') && lower.Length > 2 && !"aeiou".Contains(lower[^2], StringComparison.Ordinal))
        {
            return verb[..^1] + "ies";
        }

        return lower.EndsWith('s') || lower.EndsWith("sh", StringComparison.Ordinal) || lower.EndsWith("ch", StringComparison.Ordinal) || lower.EndsWith('x') || lower.EndsWith('o')
            ? verb + "es"
            : verb + "s";
    }

    [GeneratedRegex(@"\bI(?<c>'m|'ve|'d|'ll| am| have| was| do| don't| didn't)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Contraction();

    [GeneratedRegex(@"\bI(?<adv> [a-z]+ly| just| also| still| never| even| often| always)? (?<verb>[a-z]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectVerb();

    [GeneratedRegex(@"\b(?:we're|we've|we'll|we'd|we|us|our|ours)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WePronouns();

    [GeneratedRegex(@"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Pronoun();
}
