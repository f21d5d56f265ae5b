using HelaMem.Embeddings.Tests.Fixtures;

namespace HelaMem.Embeddings.Tests;

/// <summary>A damaged, truncated or foreign cache file is rejected with a message that names the problem.</summary>
public sealed class GloveCacheFormatTests : IAsyncLifetime
{
    private static readonly GloveSifOptions Options = new() { VocabularySize = 8 };
    private readonly TempDirectory temp = new();
    private string cacheDirectory = "";
    private string path = "";

    public async Task InitializeAsync()
    {
        cacheDirectory = await FixtureCache.CreateStandardAsync(temp);
        path = EmbeddingCache.GetGloveFilePath(cacheDirectory);
    }

    public Task DisposeAsync()
    {
        temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void A_missing_cache_names_the_setup_command()
    {
        var exception = Assert.Throws<EmbeddingCacheMissingException>(() => GloveSifEmbedder.Load(temp.Combine("nowhere")));

        Assert.Contains("helamem setup", exception.Message, StringComparison.Ordinal);
        Assert.Contains(temp.Combine("nowhere"), exception.Message, StringComparison.Ordinal);
        Assert.Equal(EmbeddingCache.GetGloveFilePath(temp.Combine("nowhere")), exception.CacheFilePath);
        Assert.False(EmbeddingCache.IsPresent(temp.Combine("nowhere")));
    }

    [Fact]
    public void A_truncated_cache_is_rejected()
    {
        var length = new FileInfo(path).Length;
        CacheFile.SetLength(path, length - 5);

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains($"truncated: the header announces {length} bytes, the file has {length - 5}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("helamem setup", exception.Message, StringComparison.Ordinal);
        Assert.False(EmbeddingCache.IsPresent(cacheDirectory));
    }

    [Fact]
    public void A_cache_cut_inside_the_header_is_rejected()
    {
        CacheFile.SetLength(path, 10);

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains("shorter than the 32-byte header", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        File.AppendAllText(path, "extra");

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains("5 unexpected bytes after the announced end", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_file_is_rejected()
    {
        File.WriteAllText(path, "{\"this is\": \"not a HelaMem cache, but long enough for a header\"}");

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains("HLMGLOVE magic", exception.Message, StringComparison.Ordinal);
        Assert.False(EmbeddingCache.IsPresent(cacheDirectory));
    }

    [Fact]
    public void Another_format_version_is_rejected()
    {
        CacheFile.WriteInt32(path, 8, 2);

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains("format version 2, this build reads version 1", exception.Message, StringComparison.Ordinal);
        Assert.False(EmbeddingCache.IsPresent(cacheDirectory));
    }

    [Fact]
    public void A_damaged_vector_fails_its_block_checksum()
    {
        CacheFile.FlipByte(path, CacheFile.VectorsOffset(path) + 13);

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains("checksum of vector block 0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_word_list_fails_the_metadata_checksum()
    {
        CacheFile.FlipByte(path, CacheFile.WordsOffset(path) + 1);

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains("checksum of the header and word list", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_dimension_count_is_caught_by_the_length_check()
    {
        CacheFile.WriteInt32(path, 12, 4);

        var exception = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(cacheDirectory, Options));

        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intact_cache_is_present_and_loads()
    {
        Assert.True(EmbeddingCache.IsPresent(cacheDirectory));
        Assert.Equal(5, GloveSifEmbedder.Load(cacheDirectory, Options).VocabularyCount);
    }
}
