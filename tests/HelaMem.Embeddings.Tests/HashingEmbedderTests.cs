using System.Numerics.Tensors;

namespace HelaMem.Embeddings.Tests;

public sealed class HashingEmbedderTests
{
    [Fact]
    public void Same_text_gives_the_same_vector_in_separate_instances()
    {
        var first = Embed(new HashingEmbedder(), "Caroline went to the LGBTQ support group");
        var second = Embed(new HashingEmbedder(), "Caroline went to the LGBTQ support group");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Vectors_are_unit_length()
    {
        foreach (var text in new[] { "a", "hello world", "the the the the", "Melanie: I painted a sunset last week!" })
        {
            Assert.Equal(1f, TensorPrimitives.Norm(Embed(new HashingEmbedder(), text)), 5);
        }
    }

    [Fact]
    public void Tokens_are_the_shared_tokenizers_so_case_and_punctuation_do_not_matter()
    {
        var embedder = new HashingEmbedder();

        Assert.Equal(Embed(embedder, "hello world"), Embed(embedder, "HELLO, World!"));
    }

    [Fact]
    public void Different_texts_give_different_vectors()
    {
        var embedder = new HashingEmbedder();

        Assert.NotEqual(Embed(embedder, "camping in the mountains"), Embed(embedder, "a mortgage from the bank"));
    }

    [Fact]
    public void Vectors_do_not_depend_on_the_process_hash_seed()
    {
        // A single token lands on one bucket with weight ±1; which one is fixed by FNV-1a + fmix32 of "dog",
        // so the same bucket in every process (string.GetHashCode would change per process).
        var vector = Embed(new HashingEmbedder(16), "dog");

        Assert.Equal(1, vector.Count(x => x != 0));
        Assert.Equal(1f, Math.Abs(vector.Single(x => x != 0)));
        Assert.Equal(ExpectedBucketOfDog(16), Array.FindIndex(vector, x => x != 0));
    }

    [Fact]
    public void Text_without_tokens_gives_zeros()
    {
        Assert.Equal(new float[100], Embed(new HashingEmbedder(), " ... !? "));
    }

    [Fact]
    public void Dimensions_and_destination_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HashingEmbedder(0));
        Assert.Throws<ArgumentException>(() => new HashingEmbedder(8).Embed("x", new float[9]));
        Assert.Equal("hashing-8d", new HashingEmbedder(8).Name);
    }

    private static float[] Embed(HashingEmbedder embedder, string text)
    {
        var vector = new float[embedder.Dimensions];
        embedder.Embed(text, vector);
        return vector;
    }

    // An independent restatement of the documented hash: FNV-1a over the lower-cased characters, then fmix32;
    // bucket = (hash >> 1) mod dimensions.
    private static int ExpectedBucketOfDog(int dimensions)
    {
        var hash = 2166136261u;
        foreach (var c in "dog")
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35;
        hash ^= hash >> 16;
        return (int)((hash >> 1) % (uint)dimensions);
    }
}
