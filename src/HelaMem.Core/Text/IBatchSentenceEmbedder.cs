namespace HelaMem.Core.Text;

/// <summary>
/// An embedder that is much faster on many texts at once than one by one (a neural model runs a padded batch through
/// one inference call). Callers that embed many texts together (ingest batches, evaluation, re-embedding) go through
/// <see cref="SentenceEmbedding.EmbedAll"/>, which uses this when the embedder offers it.
/// </summary>
public interface IBatchSentenceEmbedder : ISentenceEmbedder
{
    /// <summary>
    /// Writes the embedding of each text into <paramref name="destination"/>, row-major: text i's vector is
    /// <c>destination[(i * Dimensions)..((i + 1) * Dimensions)]</c>. Each row equals what <see cref="ISentenceEmbedder.Embed"/>
    /// writes for that text (up to float rounding of the batched arithmetic).
    /// </summary>
    void EmbedBatch(IReadOnlyList<string> texts, Span<float> destination);
}
