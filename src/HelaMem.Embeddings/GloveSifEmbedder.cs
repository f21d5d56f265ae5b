using System.Buffers;
using System.Numerics.Tensors;
using HelaMem.Core.Text;
using HelaMem.Embeddings.Glove;

namespace HelaMem.Embeddings;

/// <summary>
/// SIF-weighted GloVe-100d sentence vectors (the LoCoMo reference definition): the tokens of the shared
/// <see cref="Tokenizer"/> (lower-cased <c>[a-z0-9]+</c>) that are among the first
/// <see cref="GloveSifOptions.VocabularySize"/> words contribute weight·vector, with the weights of
/// <see cref="SifWeights"/>; the sum is scaled to unit length (all zeros when no token is known).
/// Common-component removal is per conversation and belongs to the caller. Thread-safe and allocation-free per call.
/// </summary>
public sealed class GloveSifEmbedder : ISentenceEmbedder
{
    // Longer tokens are lower-cased into a pooled buffer instead of the stack; no vocabulary word comes close.
    private const int StackTokenLength = 128;

    private readonly Dictionary<string, int> rowOfWord;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> rowOfToken;
    private readonly float[] vectors;
    private readonly float[] weights;
    private readonly int maxWordLength;

    private GloveSifEmbedder(GloveCacheContents contents, GloveSifOptions options, string cacheFilePath)
    {
        Dimensions = contents.Dimensions;
        Options = options;
        CacheFilePath = cacheFilePath;
        vectors = contents.Vectors;
        weights = new float[contents.Words.Length];
        rowOfWord = new Dictionary<string, int>(contents.Words.Length, StringComparer.Ordinal);
        for (var row = 0; row < contents.Words.Length; row++)
        {
            var word = contents.Words[row];
            rowOfWord.Add(word, row);
            weights[row] = (float)SifWeights.Weight(contents.Ranks[row], options.VocabularySize, options.A);
            maxWordLength = Math.Max(maxWordLength, word.Length);
        }

        rowOfToken = rowOfWord.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc />
    public string Name => $"glove-sif-{Dimensions}d";

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <summary>The options the embedder was loaded with.</summary>
    public GloveSifOptions Options { get; }

    /// <summary>The cache file the vectors came from.</summary>
    public string CacheFilePath { get; }

    /// <summary>How many words a token can match (the tokenizable words among the first <see cref="GloveSifOptions.VocabularySize"/>).</summary>
    public int VocabularyCount => weights.Length;

    /// <summary>
    /// Loads the cache of <paramref name="cacheDirectory"/>. Throws <see cref="EmbeddingCacheMissingException"/>
    /// (naming <c>helamem setup</c>) when there is none, <see cref="EmbeddingCacheCorruptException"/> when it fails
    /// validation, and <see cref="ArgumentOutOfRangeException"/> for options the cache cannot satisfy.
    /// </summary>
    public static GloveSifEmbedder Load(string cacheDirectory, GloveSifOptions? options = null)
    {
        options ??= new GloveSifOptions();
        options.Validate();
        var path = EmbeddingCache.GetGloveFilePath(cacheDirectory);
        if (!File.Exists(path))
        {
            throw new EmbeddingCacheMissingException(path);
        }

        var contents = GloveCacheReader.Read(path, options.VocabularySize);
        if (options.VocabularySize > contents.SourceWordCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.VocabularySize,
                $"VocabularySize {options.VocabularySize} exceeds the {contents.SourceWordCount} words of the cached vocabulary in '{path}'.");
        }

        return new GloveSifEmbedder(contents, options, path);
    }

    /// <summary>The SIF weight of <paramref name="word"/> (lower case), if it is in the vocabulary.</summary>
    public bool TryGetWeight(ReadOnlySpan<char> word, out float weight)
    {
        if (rowOfToken.TryGetValue(word, out var row))
        {
            weight = weights[row];
            return true;
        }

        weight = 0;
        return false;
    }

    /// <summary>Copies the raw (unweighted) GloVe vector of <paramref name="word"/> (lower case), if it is in the vocabulary.</summary>
    public bool TryGetWordVector(ReadOnlySpan<char> word, Span<float> destination)
    {
        CheckDestination(destination);
        if (!rowOfToken.TryGetValue(word, out var row))
        {
            return false;
        }

        Row(row).CopyTo(destination);
        return true;
    }

    /// <inheritdoc />
    public void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        CheckDestination(destination);
        destination.Clear();
        Span<char> stackBuffer = stackalloc char[StackTokenLength];
        var known = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !Tokenizer.IsTokenChar(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && Tokenizer.IsTokenChar(text[i]))
            {
                i++;
            }

            var length = i - start;
            if (length == 0 || length > maxWordLength)
            {
                continue;
            }

            if (TryFindRow(text.Slice(start, length), stackBuffer, out var row))
            {
                TensorPrimitives.MultiplyAdd(Row(row), weights[row], destination, destination);
                known++;
            }
        }

        // The reference divides the weighted sum by the number of known tokens before normalising; a positive
        // scale does not change the unit vector, so only the normalisation is done.
        if (known == 0)
        {
            return;
        }

        var norm = TensorPrimitives.Norm(destination);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
        else
        {
            destination.Clear();
        }
    }

    private bool TryFindRow(ReadOnlySpan<char> token, Span<char> stackBuffer, out int row)
    {
        char[]? rented = null;
        var lowered = token.Length <= stackBuffer.Length
            ? stackBuffer[..token.Length]
            : (rented = ArrayPool<char>.Shared.Rent(token.Length)).AsSpan(0, token.Length);
        for (var k = 0; k < token.Length; k++)
        {
            var c = token[k];
            lowered[k] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }

        var found = rowOfToken.TryGetValue(lowered, out row);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return found;
    }

    private ReadOnlySpan<float> Row(int row) => vectors.AsSpan(row * Dimensions, Dimensions);

    private void CheckDestination(Span<float> destination)
    {
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements; {Name} writes exactly {Dimensions}.", nameof(destination));
        }
    }
}
