namespace HelaMem.Core.Text;

/// <summary>
/// Turns a text into a fixed-length vector. The algorithm only needs this contract; implementations
/// (the offline GloVe-SIF embedder, the hashing fallback, remote providers) live outside the core.
/// Implementations are thread-safe and deterministic: the same text always gives the same vector.
/// </summary>
public interface ISentenceEmbedder
{
    /// <summary>A short name for logs and evaluation output, e.g. <c>glove-sif-100d</c>.</summary>
    string Name { get; }

    /// <summary>The length of every vector this embedder writes.</summary>
    int Dimensions { get; }

    /// <summary>
    /// Writes the embedding of <paramref name="text"/> into <paramref name="destination"/>
    /// (length <see cref="Dimensions"/>). The vector is unit length, or all zeros when the text has no
    /// known word.
    /// </summary>
    void Embed(ReadOnlySpan<char> text, Span<float> destination);
}
