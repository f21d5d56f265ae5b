using HelaMem.Core.Text;

namespace HelaMem.Grains.Embedding;

/// <summary>
/// A local <see cref="ISentenceEmbedder"/> as an <see cref="IGraphEmbedder"/>: it embeds on the calling thread and returns
/// completed value tasks, so the grains' hot path costs what it cost before (one vector per query, one batch per ingest).
/// The tenant does not matter: every tenant uses the silo's model.
/// </summary>
public sealed class SentenceGraphEmbedder(ISentenceEmbedder embedder) : IGraphEmbedder
{
    private readonly ValueTask<string> _name = new(embedder.Name);

    /// <summary>The wrapped embedder.</summary>
    public ISentenceEmbedder Embedder { get; } = embedder;

    /// <inheritdoc />
    public int Dimensions => Embedder.Dimensions;

    /// <inheritdoc />
    public string Name => Embedder.Name;

    /// <inheritdoc />
    public ValueTask<string> NameForAsync(string tenant, CancellationToken cancellationToken = default) => _name;

    /// <inheritdoc />
    public ValueTask<float[]> EmbedAsync(string tenant, string text, CancellationToken cancellationToken = default)
    {
        var vector = new float[Embedder.Dimensions];
        Embedder.Embed(text, vector);
        return new ValueTask<float[]>(vector);
    }

    /// <inheritdoc />
    public ValueTask<float[][]> EmbedAllAsync(string tenant, IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        new(Embedder.EmbedAll(texts));
}
