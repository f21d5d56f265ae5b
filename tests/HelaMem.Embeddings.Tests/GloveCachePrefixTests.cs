using HelaMem.Embeddings.Glove;
using HelaMem.Embeddings.Tests.Fixtures;

namespace HelaMem.Embeddings.Tests;

/// <summary>
/// Rows are in rank order and checksummed per block, so a load reads (and checks) only the blocks of its
/// vocabulary prefix, while setup's verification checks every block.
/// </summary>
public sealed class GloveCachePrefixTests : IDisposable
{
    private static readonly string[] Words = ["the", "dog", "puppy", "mortgage", "rare"];
    private static readonly int[] Ranks = [1, 3, 5, 7, 8];
    private readonly TempDirectory temp = new();
    private readonly string path;

    public GloveCachePrefixTests()
    {
        path = EmbeddingCache.GetGloveFilePath(temp.Path);
        using var file = File.Create(path);

        // Two rows per checksum block: rows {the, dog}, {puppy, mortgage}, {rare}.
        GloveCacheWriter.Write(file, 3, 8, Words, Ranks, row => new float[] { row, row + 1, row + 2 }, blockRows: 2);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_prefix_load_reads_only_its_rows_and_their_vectors()
    {
        var contents = GloveCacheReader.Read(path, maxRank: 4);

        Assert.Equal(["the", "dog"], contents.Words);
        Assert.Equal([1, 3], contents.Ranks);
        Assert.Equal(new float[] { 0, 1, 2, 1, 2, 3 }, contents.Vectors);
    }

    [Fact]
    public void Damage_outside_the_loaded_prefix_does_not_affect_a_prefix_load_but_fails_verification()
    {
        CacheFile.FlipByte(path, CacheFile.VectorsOffset(path) + (4 * 3 * 4) + 1); // inside row 4 ("rare"), block 2

        Assert.Equal(2, GloveSifEmbedder.Load(temp.Path, new GloveSifOptions { VocabularySize = 4 }).VocabularyCount);
        var load = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveSifEmbedder.Load(temp.Path, new GloveSifOptions { VocabularySize = 8 }));
        var verify = Assert.Throws<EmbeddingCacheCorruptException>(() => GloveCacheReader.Verify(path));

        Assert.Contains("vector block 2 (rows 4..)", load.Message, StringComparison.Ordinal);
        Assert.Contains("vector block 2 (rows 4..)", verify.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intact_file_verifies()
    {
        GloveCacheReader.Verify(path);

        Assert.Equal(5, GloveCacheReader.Read(path, int.MaxValue).Words.Length);
    }
}
