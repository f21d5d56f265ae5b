namespace HelaMem.Core.Text;

/// <summary>
/// The offline keyword extractor: the distinct non-stopword tokens longer than two characters, in order of
/// first occurrence. This is the LoCoMo reference configuration's stand-in for the paper's LLM keywords
/// (which picks at most three topic words); it needs no model and keeps names, places and content words.
/// </summary>
public static class KeywordExtractor
{
    /// <summary>Tokens shorter than this are never keywords.</summary>
    public const int MinimumLength = 3;

    /// <summary>The keywords of <paramref name="text"/>; with <paramref name="stem"/>, their <see cref="LightStemmer"/> stems.</summary>
    public static string[] Extract(ReadOnlySpan<char> text, bool stem = false)
    {
        var tokens = Tokenizer.Tokenize(text);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keywords = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            if (token.Length < MinimumLength || Stopwords.Contains(token))
            {
                continue;
            }

            var keyword = stem ? LightStemmer.Stem(token) : token;
            if (seen.Add(keyword))
            {
                keywords.Add(keyword);
            }
        }

        return [.. keywords];
    }

    /// <summary>The tokens of <paramref name="text"/> without stopwords (duplicates kept), as BM25 indexes them.</summary>
    public static List<string> ContentTokens(ReadOnlySpan<char> text)
    {
        var tokens = Tokenizer.Tokenize(text);
        tokens.RemoveAll(Stopwords.Contains);
        return tokens;
    }
}
