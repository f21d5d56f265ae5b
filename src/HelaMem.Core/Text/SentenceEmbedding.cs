namespace HelaMem.Core.Text;

/// <summary>Embedding many texts with whatever an embedder offers: its batch path, or one text at a time.</summary>
public static class SentenceEmbedding
{
    /// <summary>
    /// Writes the embeddings of <paramref name="texts"/> row-major into <paramref name="destination"/>
    /// (length <c>texts.Count * embedder.Dimensions</c>).
    /// </summary>
    public static void EmbedAll(this ISentenceEmbedder embedder, IReadOnlyList<string> texts, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(texts);
        var dimensions = embedder.Dimensions;
        if (destination.Length != texts.Count * dimensions)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} elements; {texts.Count} texts of {dimensions} need {texts.Count * dimensions}.",
                nameof(destination));
        }

        if (embedder is IBatchSentenceEmbedder batch && texts.Count > 1)
        {
            batch.EmbedBatch(texts, destination);
            return;
        }

        for (var i = 0; i < texts.Count; i++)
        {
            embedder.Embed(texts[i], destination.Slice(i * dimensions, dimensions));
        }
    }

    /// <summary>The embeddings of <paramref name="texts"/>, one array per text.</summary>
    public static float[][] EmbedAll(this ISentenceEmbedder embedder, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(texts);
        var dimensions = embedder.Dimensions;
        var flat = new float[texts.Count * dimensions];
        embedder.EmbedAll(texts, flat);
        var rows = new float[texts.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = flat.AsSpan(i * dimensions, dimensions).ToArray();
        }

        return rows;
    }
}
