using System.Globalization;
using System.Text;

namespace HelaMem.Embeddings.MiniLm;

/// <summary>
/// BERT's basic tokenization for an uncased model, as the original BertTokenizer does it: drop control characters
/// and U+FFFD, turn white space into spaces, put spaces around CJK ideographs, lower-case, strip accents, and split
/// on white space and around every punctuation character (ASCII symbols count as punctuation, as in BERT).
/// </summary>
internal static class BertBasicTokenizer
{
    /// <summary>Calls <paramref name="onWord"/> with each basic token in order; stops when it returns false.</summary>
    public static void Split(ReadOnlySpan<char> text, Func<string, bool> onWord)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhiteSpace(rune))
            {
                if (!Flush(word, onWord))
                {
                    return;
                }

                continue;
            }

            if (IsPunctuation(rune) || IsCjk(rune.Value))
            {
                if (!Flush(word, onWord))
                {
                    return;
                }

                var single = new StringBuilder();
                AccentFolding.Append(Rune.ToLowerInvariant(rune), single);
                if (single.Length > 0 && !onWord(single.ToString()))
                {
                    return;
                }

                continue;
            }

            // BERT folds before it splits on punctuation; no decomposition turns a letter into punctuation or white
            // space, so testing the original character is the same.
            AccentFolding.Append(Rune.ToLowerInvariant(rune), word);
        }

        Flush(word, onWord);
    }

    private static bool Flush(StringBuilder word, Func<string, bool> onWord)
    {
        if (word.Length == 0)
        {
            return true;
        }

        var text = word.ToString();
        word.Clear();
        return onWord(text);
    }

    private static bool IsWhiteSpace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.Format;
    }

    private static bool IsPunctuation(Rune rune)
    {
        var value = rune.Value;
        if (value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    // The CJK Unified Ideographs blocks BERT treats as one token per character.
    private static bool IsCjk(int value) =>
        value is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
