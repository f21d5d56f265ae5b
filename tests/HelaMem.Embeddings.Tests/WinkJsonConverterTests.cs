using System.Text;
using HelaMem.Embeddings.Glove;
using HelaMem.Embeddings.Tests.Fixtures;

namespace HelaMem.Embeddings.Tests;

/// <summary>The streaming converter gives the same cache however the JSON arrives in chunks.</summary>
public sealed class WinkJsonConverterTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Conversion_does_not_depend_on_where_reads_split_the_JSON(int maxBytesPerRead)
    {
        var json = Encoding.UTF8.GetBytes(WinkPackage.Json(WinkPackage.StandardWords));

        var whole = await ConvertAsync(new MemoryStream(json));
        var trickled = await ConvertAsync(new TrickleStream(json, maxBytesPerRead));

        Assert.Equal(whole, trickled);
    }

    [Fact]
    public async Task A_token_larger_than_the_read_buffer_is_handled()
    {
        // A 1.5 MB word does not fit the converter's 1 MB buffer, which must grow instead of stalling.
        var longWord = new string('x', 1_500_000);
        (string Word, float[] Vector)[] words = [("the", [1, 0, 0]), (longWord, [0, 0, 1])];
        var cacheDirectory = await FixtureCache.CreateAsync(temp, WinkPackage.Json(words, includeOrphan: false));
        var embedder = GloveSifEmbedder.Load(cacheDirectory, new GloveSifOptions { VocabularySize = 2 });
        var vector = new float[3];

        embedder.Embed("Say " + longWord.ToUpperInvariant() + "!", vector);

        Assert.Equal([0f, 0f, 1f], vector);
    }

    [Fact]
    public async Task A_JSON_cut_mid_token_is_reported_as_malformed()
    {
        var json = Encoding.UTF8.GetBytes(WinkPackage.Json(WinkPackage.StandardWords));

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => ConvertAsync(new TrickleStream(json[..(json.Length / 2)], 5)));

        Assert.Contains("malformed", exception.Message, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ConvertAsync(Stream json)
    {
        using var output = new MemoryStream();
        await WinkJsonConverter.ConvertAsync(json, output, progress: null, CancellationToken.None);
        return output.ToArray();
    }
}
