using System.Numerics.Tensors;
using HelaMem.Core.Text;

namespace HelaMem.Embeddings;

/// <summary>
/// The last-resort embedder when no word vectors are available: signed feature hashing of the shared tokenizer's
/// tokens (each token adds ±1 to one of <see cref="Dimensions"/> buckets, chosen by a fixed FNV-1a hash), scaled
/// to unit length. It captures only exact word overlap, far weaker than GloVe-SIF, which is why
/// <see cref="OfflineEmbedder"/> never picks it without a warning. Deterministic across processes and platforms
/// (no randomised string hashing), thread-safe, allocation-free.
/// </summary>
public sealed class HashingEmbedder : ISentenceEmbedder
{
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>Creates a hashing embedder writing vectors of <paramref name="dimensions"/> components.</summary>
    public HashingEmbedder(int dimensions = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
    }

    /// <inheritdoc />
    public string Name => $"hashing-{Dimensions}d";

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <inheritdoc />
    public void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements; {Name} writes exactly {Dimensions}.", nameof(destination));
        }

        destination.Clear();
        var any = false;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !Tokenizer.IsTokenChar(text[i]))
            {
                i++;
            }

            var hash = FnvOffsetBasis;
            var length = 0;
            while (i < text.Length && Tokenizer.IsTokenChar(text[i]))
            {
                var c = text[i];
                hash = (hash ^ (c is >= 'A' and <= 'Z' ? (uint)(c + 32) : c)) * FnvPrime;
                length++;
                i++;
            }

            if (length == 0)
            {
                continue;
            }

            // Finalise (murmur3 fmix32) so that the bucket and the sign use well-mixed, independent bits.
            hash ^= hash >> 16;
            hash *= 0x85EBCA6B;
            hash ^= hash >> 13;
            hash *= 0xC2B2AE35;
            hash ^= hash >> 16;
            var bucket = (int)((hash >> 1) % (uint)Dimensions);
            destination[bucket] += (hash & 1) == 0 ? 1f : -1f;
            any = true;
        }

        if (!any)
        {
            return;
        }

        var norm = TensorPrimitives.Norm(destination);
        if (norm > 0)
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
    }
}
