using System.Text;
using System.Text.RegularExpressions;

namespace HelaMem.Cli.Answering;

/// <summary>
/// LoCoMo's answer scoring, from the rules of its evaluation code (Maharana et al., 2024): a token F1 between the
/// prediction and the gold answer after normalisation (lower case, commas and other punctuation removed, the words
/// a, an, the and "and" dropped) and Porter stemming. Per category: multi-hop (1) splits both answers at commas and
/// averages, over the gold parts, the best F1 of any predicted part; open-domain (3) scores against the gold answer's
/// part before the first ';'; temporal (2) and single-hop (4) score the whole answers; adversarial (5) scores 1 when
/// the prediction says the information is not there ("not mentioned", "no information available"), else 0.
/// </summary>
public static partial class AnswerScoring
{
    /// <summary>What the prompt asks the model to say when the context does not hold the answer (LoCoMo's wording).</summary>
    public const string NotMentioned = "Not mentioned in the conversation";

    // LoCoMo counts an adversarial answer as right when it contains either phrase.
    private static readonly string[] AbstentionPhrases = ["not mentioned", "no information available"];

    /// <summary>The score of <paramref name="prediction"/> for a question of <paramref name="category"/>, in [0, 1].</summary>
    public static double Score(int category, string prediction, string gold)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(gold);
        return category switch
        {
            1 => MultiHopF1(prediction, gold),
            2 or 4 => F1(prediction, gold),
            3 => F1(prediction, gold.Split(';', 2)[0].Trim()),
            5 => SaysNotAvailable(prediction) ? 1 : 0,
            _ => throw new ArgumentOutOfRangeException(nameof(category), category, "LoCoMo categories are 1–5."),
        };
    }

    /// <summary>True when <paramref name="prediction"/> says the information is not in the conversation.</summary>
    public static bool SaysNotAvailable(string prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return AbstentionPhrases.Any(phrase => prediction.Contains(phrase, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Lower case, punctuation removed, articles and "and" dropped, whitespace collapsed.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.Replace(",", "", StringComparison.Ordinal).ToLowerInvariant();
        var withoutPunctuation = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            // Python's string.punctuation: the ASCII punctuation characters.
            if (!char.IsAsciiLetterOrDigit(c) && !char.IsWhiteSpace(c) && c < 128)
            {
                continue;
            }

            withoutPunctuation.Append(c);
        }

        var withoutArticles = Articles().Replace(withoutPunctuation.ToString(), " ");
        return string.Join(' ', withoutArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The normalised, stemmed tokens of <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> Tokens(string text) =>
        [.. Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(PorterStemmer.Stem)];

    /// <summary>Token F1 of the stemmed, normalised answers (0 when they share no token).</summary>
    public static double F1(string prediction, string gold)
    {
        var predicted = Tokens(prediction);
        var expected = Tokens(gold);
        var remaining = expected.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var same = 0;
        foreach (var token in predicted)
        {
            if (remaining.TryGetValue(token, out var count) && count > 0)
            {
                remaining[token] = count - 1;
                same++;
            }
        }

        if (same == 0)
        {
            return 0;
        }

        var precision = (double)same / predicted.Count;
        var recall = (double)same / expected.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Multi-hop F1: for each comma-separated part of the gold answer, the best F1 of a predicted part; their mean.</summary>
    public static double MultiHopF1(string prediction, string gold)
    {
        var predictions = prediction.Split(',').Select(p => p.Trim()).ToList();
        var golds = gold.Split(',').Select(g => g.Trim()).ToList();
        return golds.Average(g => predictions.Max(p => F1(p, g)));
    }

    [GeneratedRegex(@"\b(a|an|the|and)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Articles();
}
