namespace HelaMem.Core.Text;

/// <summary>
/// A light English suffix stripper for keywords, so that a question's "paint" meets a memory's "painted" or
/// "painting". It removes plural and verb endings (-ies, -es, -s, -ing, -ed), undoubles a final consonant left
/// behind ("running" → "run") and drops a final e ("baked", "bake" → "bak"): stems are matching keys, not words.
/// Much less aggressive than Porter's algorithm on purpose: it must not merge unrelated content words.
/// </summary>
public static class LightStemmer
{
    private static readonly System.Buffers.SearchValues<char> Vowels = System.Buffers.SearchValues.Create("aeiouy");

    /// <summary>The stem of a lower-case token.</summary>
    public static string Stem(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length <= 3 || !char.IsAsciiLetterLower(token[^1]))
        {
            return token;
        }

        var word = token;
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            word = word[..^3] + "y";
        }
        else if (word.EndsWith("sses", StringComparison.Ordinal) || EndsWithAny(word, "xes", "zes", "ches", "shes"))
        {
            word = word[..^2];
        }
        else if (word.EndsWith('s') && !EndsWithAny(word, "ss", "us", "is"))
        {
            word = word[..^1];
        }

        if (word.EndsWith("ing", StringComparison.Ordinal) && HasVowel(word.AsSpan(0, word.Length - 3)) && word.Length > 5)
        {
            word = Undouble(word[..^3]);
        }
        else if (word.EndsWith("ed", StringComparison.Ordinal) && HasVowel(word.AsSpan(0, word.Length - 2)) && word.Length > 4)
        {
            word = Undouble(word[..^2]);
        }

        if (word.EndsWith('e') && word.Length > 3)
        {
            word = word[..^1];
        }

        return word;
    }

    private static bool EndsWithAny(string word, params string[] suffixes) =>
        suffixes.Any(suffix => word.EndsWith(suffix, StringComparison.Ordinal));

    private static bool HasVowel(ReadOnlySpan<char> stem) => stem.ContainsAny(Vowels);

    // "runn" → "run", "plann" → "plan"; but "fall", "miss", "buzz" keep their double letter.
    private static string Undouble(string stem) =>
        stem.Length >= 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') && !"aeiou".Contains(stem[^1], StringComparison.Ordinal)
            ? stem[..^1]
            : stem;
}
