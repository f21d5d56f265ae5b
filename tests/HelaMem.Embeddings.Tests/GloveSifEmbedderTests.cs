using HelaMem.Embeddings.Tests.Fixtures;

namespace HelaMem.Embeddings.Tests;

/// <summary>The embedder on the tiny standard fixture, whose values are computed by hand in the comments.</summary>
public sealed class GloveSifEmbedderTests : IAsyncLifetime
{
    // V = 7 words, a = 0.1: H = ln 7 + 0.5772 = 2.5231101; weight(r) = a·r·H / (a·r·H + 1).
    private static readonly GloveSifOptions Options = new() { VocabularySize = 7, A = 0.1 };
    private const float WeightThe = 0.2014763f;      // r = 1: 0.2523110 / 1.2523110
    private const float WeightDog = 0.4308263f;      // r = 3: 0.7569330 / 1.7569330
    private const float WeightPuppy = 0.5578264f;    // r = 5: 1.2615551 / 2.2615551
    private const float WeightMortgage = 0.6384902f; // r = 7: 1.7661771 / 2.7661771

    private readonly TempDirectory temp = new();
    private string cacheDirectory = "";

    public async Task InitializeAsync() => cacheDirectory = await FixtureCache.CreateStandardAsync(temp);

    public Task DisposeAsync()
    {
        temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Weights_match_the_hand_computed_SIF_values()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);

        AssertWeight(embedder, "the", WeightThe);
        AssertWeight(embedder, "dog", WeightDog);
        AssertWeight(embedder, "puppy", WeightPuppy);
        AssertWeight(embedder, "mortgage", WeightMortgage);
    }

    [Fact]
    public void Only_token_words_within_the_vocabulary_size_are_loaded()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);

        // ",", "Cat" and "e-mail" can never be tokens; "rare" has rank 8 > V = 7; "orphan" has no rank.
        Assert.Equal(4, embedder.VocabularyCount);
        Assert.False(embedder.TryGetWeight("rare", out _));
        Assert.False(embedder.TryGetWeight("cat", out _));
        Assert.False(embedder.TryGetWeight("orphan", out _));
        Assert.Equal(5, GloveSifEmbedder.Load(cacheDirectory, Options with { VocabularySize = 8 }).VocabularyCount);
    }

    [Fact]
    public void Sentence_vector_is_the_normalised_weighted_sum_of_known_tokens()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);
        var vector = new float[3];

        // the, dog, the, dog → 2·w1·[1,0,0] + 2·w3·[0,1,0], normalised: [w1, w3] / √(w1² + w3²).
        embedder.Embed("The DOG, the dog!", vector);
        AssertVector([0.4236174f, 0.9058412f, 0f], vector);

        // dog, puppy, mortgage (+ unknown "cat", "e", "mail") → [0, w3 + w5, w5 + w7], normalised.
        embedder.Embed("dog puppy cat e-mail mortgage", vector);
        AssertVector([0f, 0.6370312f, 0.7708380f], vector);
    }

    [Fact]
    public void Only_the_first_dimensions_components_are_used_not_the_stored_norm_or_index()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);
        var vector = new float[3];

        Assert.True(embedder.TryGetWordVector("puppy", vector));

        AssertVector([0f, 1f, 1f], vector);
    }

    [Fact]
    public void Identical_texts_give_identical_vectors()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);
        var first = new float[3];
        var second = new float[3];

        embedder.Embed("the puppy and the mortgage", first);
        embedder.Embed("the puppy and the mortgage", second);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ...!!  ")]
    [InlineData("cat e-mail orphan rare")]
    [InlineData("dogs puppies")]
    public void Text_without_known_tokens_gives_zeros(string text)
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);
        var vector = new float[] { 7, 7, 7 };

        embedder.Embed(text, vector);

        Assert.Equal(new float[3], vector);
    }

    [Fact]
    public void Very_long_tokens_are_unknown_and_do_not_break_embedding()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);
        var vector = new float[3];

        embedder.Embed(new string('x', 10_000) + " dog", vector);

        AssertVector([0f, 1f, 0f], vector);
    }

    [Fact]
    public void A_destination_of_the_wrong_length_is_rejected()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);

        var exception = Assert.Throws<ArgumentException>(() => embedder.Embed("dog", new float[4]));

        Assert.Contains("exactly 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_and_dimensions_describe_the_embedder()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);

        Assert.Equal(3, embedder.Dimensions);
        Assert.Equal("glove-sif-3d", embedder.Name);
    }

    [Fact]
    public void A_vocabulary_larger_than_the_package_is_rejected_clearly()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => GloveSifEmbedder.Load(cacheDirectory, Options with { VocabularySize = 9 }));

        Assert.Contains("exceeds the 8 words", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0.001)]
    [InlineData(5, 0)]
    [InlineData(5, -1)]
    [InlineData(5, double.NaN)]
    public void Invalid_options_are_rejected(int vocabularySize, double a)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GloveSifEmbedder.Load(cacheDirectory, new GloveSifOptions { VocabularySize = vocabularySize, A = a }));
    }

    [Fact]
    public void Embedding_from_many_threads_gives_the_same_vectors()
    {
        var embedder = GloveSifEmbedder.Load(cacheDirectory, Options);
        string[] texts = ["the dog", "puppy mortgage", "dog dog puppy", "mortgage the"];
        var expected = texts.Select(t =>
        {
            var v = new float[3];
            embedder.Embed(t, v);
            return v;
        }).ToArray();

        var mismatches = 0;
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var v = new float[3];
            embedder.Embed(texts[i % texts.Length], v);
            if (!v.AsSpan().SequenceEqual(expected[i % texts.Length]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }

    private static void AssertWeight(GloveSifEmbedder embedder, string word, float expected)
    {
        Assert.True(embedder.TryGetWeight(word, out var weight), $"'{word}' should be in the vocabulary");
        Assert.Equal(expected, weight, 6);
    }

    private static void AssertVector(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }
}
