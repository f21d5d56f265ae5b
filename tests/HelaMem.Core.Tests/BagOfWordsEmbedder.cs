using System.Numerics.Tensors;
using HelaMem.Core.Text;

namespace HelaMem.Core.Tests;

/// <summary>
/// A deterministic stand-in for the GloVe embedder: every token gets a fixed pseudo-random vector derived from
/// a stable hash (FNV-1a), the sentence vector is their normalised sum. Texts sharing words are closer.
/// </summary>
public sealed class BagOfWordsEmbedder(int dimensions = 64) : ISentenceEmbedder
{
    public string Name => "test-bag-of-words";

    public int Dimensions { get; } = dimensions;

    public void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        destination.Clear();
        foreach (var token in Tokenizer.Tokenize(text))
        {
            var state = Fnv(token);
            for (var d = 0; d < Dimensions; d++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                destination[d] += ((state & 0xFFFF) / 32768f) - 1f;
            }
        }

        var norm = TensorPrimitives.Norm(destination);
        if (norm > 0)
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
    }

    private static ulong Fnv(string token)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in token)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash | 1;
    }
}
