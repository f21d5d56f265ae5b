namespace HelaMem.Core.Context;

/// <summary>
/// Counts context size in whitespace-separated words, the unit of the LoCoMo reference figures (about 556
/// words per query for the HeLa-Mem row). No BPE tokenizer restores here; a model's token count is roughly
/// 1.3× this for English prose.
/// </summary>
public static class TokenCounter
{
    /// <summary>The number of whitespace-separated words in <paramref name="text"/>.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                count++;
            }

            inWord = !isSpace;
        }

        return count;
    }
}
