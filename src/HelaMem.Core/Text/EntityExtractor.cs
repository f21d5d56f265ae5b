namespace HelaMem.Core.Text;

/// <summary>
/// A model-free named-entity guess: capitalised words that do not start a sentence (or a "Speaker:" line), are
/// at least three letters long and are not stopwords, lower-cased and distinct. "We went to Monterey with Rex"
/// gives monterey and rex. Callers exclude the speakers' own names, which every turn would share.
/// </summary>
public static class EntityExtractor
{
    /// <summary>The entities of <paramref name="text"/>, without those in <paramref name="excluded"/> (lower case).</summary>
    public static List<string> Extract(ReadOnlySpan<char> text, IReadOnlySet<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var entities = new List<string>();
        var sentenceStart = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (!Tokenizer.IsTokenChar(c))
            {
                if (c is '.' or '!' or '?' or ':' or '\n')
                {
                    sentenceStart = true;
                }

                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (Tokenizer.IsTokenChar(text[i]) || text[i] == '\''))
            {
                i++;
            }

            var word = text[start..i];
            if (!sentenceStart && word.Length >= 3 && char.IsAsciiLetterUpper(word[0]) && word.IndexOf('\'') < 0)
            {
                var lower = word.ToString().ToLowerInvariant();
                if (!Stopwords.Contains(lower) && !excluded.Contains(lower) && !entities.Contains(lower))
                {
                    entities.Add(lower);
                }
            }

            sentenceStart = false;
        }

        return entities;
    }
}
