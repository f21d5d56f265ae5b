using System.Text.Json;
using HelaMem.Core.Text;

namespace HelaMem.Embeddings.Glove;

/// <summary>
/// The token-by-token state machine behind <see cref="WinkJsonConverter"/>. It understands the layout of
/// wink-embeddings JSON — <c>{"dimensions":100, "size":N, "words":[…frequency order…],
/// "vectors":{"word":[c1…c100, l2norm, index], …}, …}</c> — and keeps only what a token can match: the
/// <c>[a-z0-9]+</c> words' first <c>dimensions</c> components. Every other property is ignored.
/// </summary>
internal sealed class WinkJsonParser
{
    private const int ChunkRows = 4096;

    private readonly List<string?> words = new(400_000);
    private readonly Dictionary<string, int> slotOfWord = new(StringComparer.Ordinal);
    private readonly List<float[]> chunks = [];
    private Section section;
    private int? declaredSize;
    private string? currentWord;
    private int componentIndex;
    private float[] currentVector = [];
    private bool wordsSeen;
    private bool vectorsSeen;

    private enum Section
    {
        None,
        Dimensions,
        Size,
        Words,
        Vectors,
        Other,
    }

    /// <summary>The vector length, from the <c>dimensions</c> property.</summary>
    public int? Dimensions { get; private set; }

    /// <summary>True once the root object has closed.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>How many vectors of token words have been kept so far.</summary>
    public int VectorCount => slotOfWord.Count;

    /// <summary>Processes the reader's current token.</summary>
    public void OnToken(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when depth == 0:
                break;
            case JsonTokenType.EndObject when depth == 0:
                IsComplete = true;
                break;
            case JsonTokenType.PropertyName when depth == 1:
                section = ClassifyProperty(ref reader);
                break;
            case var _ when depth == 0:
                throw Malformed("the document is not a JSON object");
            case var _ when depth >= 1:
                OnSectionToken(ref reader, depth);
                break;
        }
    }

    /// <summary>Checks that the document had everything a cache needs, and lists the rows to write in rank order.</summary>
    public (List<string> Words, List<int> Ranks, List<int> Slots, int SourceWordCount) Finish()
    {
        if (!IsComplete)
        {
            throw Malformed("the document ends before its root object closes (truncated download?)");
        }

        if (!wordsSeen || !vectorsSeen || Dimensions is null)
        {
            throw Malformed("it lacks one of the properties 'dimensions', 'words' and 'vectors'");
        }

        if (declaredSize is { } size && size != words.Count)
        {
            throw Malformed($"'size' says {size} words but 'words' lists {words.Count}");
        }

        var rowWords = new List<string>();
        var ranks = new List<int>();
        var slots = new List<int>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            // A repeated word keeps its first (most frequent) rank; a word without a vector cannot contribute.
            if (words[i] is { } word && slotOfWord.TryGetValue(word, out var slot) && taken.Add(word))
            {
                rowWords.Add(word);
                ranks.Add(i + 1);
                slots.Add(slot);
            }
        }

        if (rowWords.Count == 0)
        {
            throw Malformed("no word of the [a-z0-9]+ form has a vector");
        }

        return (rowWords, ranks, slots, words.Count);
    }

    /// <summary>The kept vector stored in <paramref name="slot"/>.</summary>
    public ReadOnlySpan<float> Vector(int slot)
    {
        var dimensions = Dimensions!.Value;
        return chunks[slot / ChunkRows].AsSpan(slot % ChunkRows * dimensions, dimensions);
    }

    private static Section ClassifyProperty(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("dimensions"u8))
        {
            return Section.Dimensions;
        }

        if (reader.ValueTextEquals("size"u8))
        {
            return Section.Size;
        }

        if (reader.ValueTextEquals("words"u8))
        {
            return Section.Words;
        }

        return reader.ValueTextEquals("vectors"u8) ? Section.Vectors : Section.Other;
    }

    /// <summary>True when a lower-cased token of the shared <see cref="Tokenizer"/> can equal <paramref name="word"/>.</summary>
    private static bool IsTokenWord(string word)
    {
        foreach (var c in word)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return word.Length > 0;
    }

    private static InvalidDataException Malformed(string problem) =>
        new($"The wink embeddings JSON is not in the expected format: {problem}.");

    private void OnSectionToken(ref Utf8JsonReader reader, int depth)
    {
        switch (section)
        {
            case Section.Dimensions when reader.TokenType == JsonTokenType.Number && depth == 1:
                Dimensions = reader.TryGetInt32(out var dimensions) && dimensions is > 0 and <= 4096
                    ? dimensions
                    : throw Malformed("'dimensions' is not a plausible vector length");
                break;
            case Section.Size when reader.TokenType == JsonTokenType.Number && depth == 1:
                declaredSize = reader.TryGetInt32(out var size) && size > 0 ? size : throw Malformed("'size' is not a positive integer");
                break;
            case Section.Dimensions or Section.Size:
                throw Malformed($"'{section.ToString().ToLowerInvariant()}' is not a number");
            case Section.Words:
                OnWordsToken(ref reader, depth);
                break;
            case Section.Vectors:
                OnVectorsToken(ref reader, depth);
                break;
            default:
                break;
        }
    }

    private void OnWordsToken(ref Utf8JsonReader reader, int depth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray when depth == 1:
                wordsSeen = true;
                break;
            case JsonTokenType.EndArray when depth == 1:
                break;
            case JsonTokenType.String when depth == 2:
                var word = reader.GetString()!;
                words.Add(IsTokenWord(word) ? word : null);
                break;
            default:
                throw Malformed("'words' must be an array of strings");
        }
    }

    private void OnVectorsToken(ref Utf8JsonReader reader, int depth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when depth == 1:
                vectorsSeen = true;
                if (Dimensions is not { } dimensions)
                {
                    throw Malformed("'dimensions' must come before 'vectors'");
                }

                currentVector = new float[dimensions];
                break;
            case JsonTokenType.EndObject when depth == 1:
                break;
            case JsonTokenType.PropertyName when depth == 2:
                var word = reader.GetString()!;
                currentWord = IsTokenWord(word) && !slotOfWord.ContainsKey(word) ? word : null;
                break;
            case JsonTokenType.StartArray when depth == 2:
                componentIndex = 0;
                break;
            case JsonTokenType.Number when depth == 3:
                if (currentWord is not null && componentIndex < currentVector.Length)
                {
                    if (!reader.TryGetSingle(out var component) || !float.IsFinite(component))
                    {
                        throw Malformed($"component {componentIndex} of '{currentWord}' is not a finite number");
                    }

                    currentVector[componentIndex] = component;
                }

                componentIndex++;
                break;
            case JsonTokenType.EndArray when depth == 2:
                StoreCurrentVector();
                break;
            default:
                throw Malformed("'vectors' must map each word to an array of numbers");
        }
    }

    private void StoreCurrentVector()
    {
        if (currentWord is null)
        {
            return;
        }

        if (componentIndex < currentVector.Length)
        {
            throw Malformed($"the vector of '{currentWord}' has {componentIndex} numbers, expected at least {currentVector.Length}");
        }

        var slot = slotOfWord.Count;
        if (slot % ChunkRows == 0)
        {
            chunks.Add(new float[ChunkRows * currentVector.Length]);
        }

        currentVector.CopyTo(chunks[slot / ChunkRows].AsSpan(slot % ChunkRows * currentVector.Length));
        slotOfWord.Add(currentWord, slot);
        currentWord = null;
    }
}
