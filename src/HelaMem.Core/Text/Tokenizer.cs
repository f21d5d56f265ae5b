namespace HelaMem.Core.Text;

/// <summary>
/// The one tokenizer every part of HelaMem shares (keywords, BM25, the embedder), so that a word means
/// the same thing to the lexical and the dense pathway. Tokens are lower-cased runs of ASCII letters and
/// digits (<c>[a-z0-9]+</c>), as in the LoCoMo reference configuration; everything else separates tokens.
/// </summary>
public static class Tokenizer
{
    /// <summary>Splits <paramref name="text"/> into lower-cased tokens.</summary>
    public static List<string> Tokenize(ReadOnlySpan<char> text)
    {
        var tokens = new List<string>();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Appends the lower-cased tokens of <paramref name="text"/> to <paramref name="tokens"/>.</summary>
    public static void Tokenize(ReadOnlySpan<char> text, List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Span<char> buffer = stackalloc char[64];
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !IsTokenChar(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && IsTokenChar(text[i]))
            {
                i++;
            }

            var length = i - start;
            if (length == 0)
            {
                continue;
            }

            var target = length <= buffer.Length ? buffer[..length] : new char[length];
            for (var k = 0; k < length; k++)
            {
                target[k] = ToLowerAscii(text[start + k]);
            }

            tokens.Add(new string(target));
        }
    }

    /// <summary>True for the characters that make up tokens: ASCII letters and digits.</summary>
    public static bool IsTokenChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static char ToLowerAscii(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
