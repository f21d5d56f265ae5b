namespace HelaMem.Embeddings.MiniLm.Tests;

/// <summary>The real model, loaded once for the whole test assembly (about a second and 90 MB).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbedder Embedder { get; } = MiniLmEmbedder.Load();

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmModelGroup : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM model";
}
