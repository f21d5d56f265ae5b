using HelaMem.Embeddings.Tests.Fixtures;
using Microsoft.Extensions.Logging;

namespace HelaMem.Embeddings.Tests;

public sealed class OfflineEmbedderTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_missing_cache_falls_back_to_hashing_with_a_warning_that_says_where_and_how()
    {
        var logger = new ListLogger();
        var cacheDirectory = temp.Combine("empty");

        var embedder = OfflineEmbedder.Create(cacheDirectory, logger);

        Assert.IsType<HashingEmbedder>(embedder);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("missing", warning.Message, StringComparison.Ordinal);
        Assert.Contains(EmbeddingCache.GetGloveFilePath(cacheDirectory), warning.Message, StringComparison.Ordinal);
        Assert.Contains("helamem setup", warning.Message, StringComparison.Ordinal);
        Assert.Contains("hashing", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_present_cache_gives_GloVe_SIF_without_a_warning()
    {
        var cacheDirectory = await FixtureCache.CreateStandardAsync(temp);
        var logger = new ListLogger();

        var embedder = OfflineEmbedder.Create(cacheDirectory, logger, new GloveSifOptions { VocabularySize = 8 });

        Assert.IsType<GloveSifEmbedder>(embedder);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("glove-sif-3d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_cache_falls_back_with_a_warning_that_names_the_problem()
    {
        var cacheDirectory = await FixtureCache.CreateStandardAsync(temp);
        var path = EmbeddingCache.GetGloveFilePath(cacheDirectory);
        CacheFile.FlipByte(path, CacheFile.VectorsOffset(path) + 1);
        var logger = new ListLogger();

        var embedder = OfflineEmbedder.Create(cacheDirectory, logger, new GloveSifOptions { VocabularySize = 8 });

        Assert.IsType<HashingEmbedder>(embedder);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("checksum", warning.Message, StringComparison.Ordinal);
        Assert.Contains(path, warning.Message, StringComparison.Ordinal);
        Assert.Contains("helamem setup", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_rejected_even_when_the_cache_is_missing()
    {
        var logger = new ListLogger();

        Assert.Throws<ArgumentOutOfRangeException>(() => OfflineEmbedder.Create(temp.Combine("empty"), logger, new GloveSifOptions { A = -1 }));
        Assert.Empty(logger.Entries);
    }
}
