using System.Text;

namespace HelaMem.Embeddings.MiniLm;

/// <summary>
/// BERT's WordPiece tokenizer over an uncased vocabulary: basic tokenization (<see cref="BertBasicTokenizer"/>), then
/// each word split greedily into the longest vocabulary pieces from the left, continuation pieces marked <c>##</c>;
/// a word that cannot be split completely (or is longer than 100 characters) becomes <c>[UNK]</c>. The sequence is
/// framed by <c>[CLS]</c> … <c>[SEP]</c> and cut to the model's maximum length. Thread-safe after construction.
/// </summary>
public sealed class WordPieceTokenizer
{
    private const int MaxWordLength = 100;
    private const string ContinuationPrefix = "##";

    private readonly Dictionary<string, int> _words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _continuations = new(StringComparer.Ordinal);
    private readonly string[] _tokens;

    /// <summary>Builds the tokenizer from a vocabulary: one token per line, its id being the 0-based line number.</summary>
    /// <param name="vocabulary">The vocabulary text (LF or CRLF line ends).</param>
    /// <param name="maxTokens">The longest sequence, <c>[CLS]</c> and <c>[SEP]</c> included (at least 3).</param>
    public WordPieceTokenizer(string vocabulary, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        MaxTokens = maxTokens;
        var lines = vocabulary.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        _tokens = new string[count];
        for (var id = 0; id < count; id++)
        {
            var token = lines[id].TrimEnd('\r');
            _tokens[id] = token;
            if (token.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && token.Length > ContinuationPrefix.Length)
            {
                _continuations.TryAdd(token[ContinuationPrefix.Length..], id);
            }
            else
            {
                _words.TryAdd(token, id);
            }
        }

        ClsId = RequireSpecial("[CLS]");
        SepId = RequireSpecial("[SEP]");
        UnknownId = RequireSpecial("[UNK]");
        PadId = RequireSpecial("[PAD]");
    }

    /// <summary>The longest sequence this tokenizer returns, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public int MaxTokens { get; }

    /// <summary>The id of <c>[CLS]</c>.</summary>
    public int ClsId { get; }

    /// <summary>The id of <c>[SEP]</c>.</summary>
    public int SepId { get; }

    /// <summary>The id of <c>[UNK]</c>.</summary>
    public int UnknownId { get; }

    /// <summary>The id of <c>[PAD]</c>.</summary>
    public int PadId { get; }

    /// <summary>How many tokens the vocabulary has.</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>The token with id <paramref name="id"/> (continuation pieces with their <c>##</c>).</summary>
    public string Token(int id) => _tokens[id];

    /// <summary>
    /// The ids of <paramref name="text"/>: <c>[CLS]</c>, the word pieces (cut so that the whole fits
    /// <see cref="MaxTokens"/>), <c>[SEP]</c>. A text with no token gives just <c>[CLS]</c> <c>[SEP]</c>.
    /// </summary>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new List<int>(Math.Min(MaxTokens, text.Length / 3 + 4)) { ClsId };
        var room = MaxTokens - 2;
        var pieces = new List<int>();
        BertBasicTokenizer.Split(text, word =>
        {
            pieces.Clear();
            SplitWord(word, pieces);
            foreach (var piece in pieces)
            {
                if (ids.Count - 1 >= room)
                {
                    return false;
                }

                ids.Add(piece);
            }

            return ids.Count - 1 < room;
        });
        ids.Add(SepId);
        return [.. ids];
    }

    /// <summary>The tokens of <paramref name="text"/> as strings, without <c>[CLS]</c>/<c>[SEP]</c> (for tests and diagnostics).</summary>
    public IReadOnlyList<string> Tokenize(ReadOnlySpan<char> text)
    {
        var ids = Encode(text);
        return [.. ids[1..^1].Select(id => _tokens[id])];
    }

    private void SplitWord(string word, List<int> pieces)
    {
        // BERT counts the word's length in characters (code points).
        var runes = 0;
        foreach (var _ in word.EnumerateRunes())
        {
            runes++;
        }

        if (runes > MaxWordLength)
        {
            pieces.Add(UnknownId);
            return;
        }

        var words = _words.GetAlternateLookup<ReadOnlySpan<char>>();
        var continuations = _continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        var start = 0;
        while (start < word.Length)
        {
            var end = word.Length;
            var found = -1;
            while (end > start)
            {
                // Never split a surrogate pair.
                if (end < word.Length && char.IsLowSurrogate(word[end]))
                {
                    end--;
                    continue;
                }

                var candidate = word.AsSpan(start, end - start);
                if ((start == 0 ? words : continuations).TryGetValue(candidate, out var id))
                {
                    found = id;
                    break;
                }

                end--;
            }

            if (found < 0)
            {
                pieces.Clear();
                pieces.Add(UnknownId);
                return;
            }

            pieces.Add(found);
            start = end;
        }
    }

    private int RequireSpecial(string token) =>
        _words.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"The vocabulary has no {token} token.");

    /// <summary>Decodes UTF-8 vocabulary bytes (a byte-order mark is skipped).</summary>
    internal static string DecodeVocabulary(byte[] bytes) => new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
}
