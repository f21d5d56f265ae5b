namespace HelaMem.Grains.Embedding;

/// <summary>
/// How the memory grains embed: per tenant, asynchronously, so that a remote provider's call never holds a grain's
/// thread. The local embedders (MiniLM, GloVe-SIF, hashing) answer synchronously through <see cref="SentenceGraphEmbedder"/>;
/// the silo's remote embedder calls the tenant's embedding provider. The algorithm core stays synchronous
/// (<see cref="HelaMem.Core.Text.ISentenceEmbedder"/>).
/// </summary>
/// <remarks>
/// Failures the caller can wait out (the provider is down, over quota, or answered something unusable) are thrown as
/// <see cref="HelaMem.Abstractions.Contracts.EmbeddingUnavailableException"/>, before anything was changed.
/// </remarks>
public interface IGraphEmbedder
{
    /// <summary>The length of every vector (the same for every tenant: it sizes the graphs' indexes).</summary>
    int Dimensions { get; }

    /// <summary>The silo's embedder name, as a graph records it (for a tenant without a provider override).</summary>
    string Name { get; }

    /// <summary>
    /// The embedder name a graph of <paramref name="tenant"/> records and is checked against: <see cref="Name"/>, or for a
    /// remote embedder whose tenant has an override with another embedding model, that model's name.
    /// </summary>
    ValueTask<string> NameForAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>The unit-length (or all-zero) vector of <paramref name="text"/>, for <paramref name="tenant"/>.</summary>
    ValueTask<float[]> EmbedAsync(string tenant, string text, CancellationToken cancellationToken = default);

    /// <summary>The vectors of <paramref name="texts"/> in order, as one batch (one provider call for a remote embedder).</summary>
    ValueTask<float[][]> EmbedAllAsync(string tenant, IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
