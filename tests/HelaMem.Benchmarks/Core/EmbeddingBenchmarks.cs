using BenchmarkDotNet.Attributes;
using HelaMem.Core.Text;
using HelaMem.Embeddings;

namespace HelaMem.Benchmarks.Core;

/// <summary>
/// Sentence-embedding throughput of the offline GloVe-SIF embedder (needs <c>helamem setup</c> first) and of the
/// hashing fallback, on one thread: each operation embeds 1,000 chat-like sentences, so sentences/s = 1,000 / mean.
/// Target: ≥ 50k sentences/s per core for GloVe-SIF.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*EmbeddingBenchmarks*' --job short</c>.
/// </summary>
public class EmbeddingBenchmarks
{
    private const int SentencesPerOperation = 1000;

    private static readonly string[] Sample =
    [
        "Caroline: I went to a LGBTQ support group yesterday and it was so powerful.",
        "Melanie: Wow, that's cool! I painted a sunrise last year, it's one of my favorites.",
        "Caroline: The transgender stories were so inspiring! I was so happy and thankful for all the support.",
        "Melanie: We took the kids camping at the beach last weekend, they loved roasting marshmallows.",
        "Caroline: I'm thinking about studying counseling so I can help people going through the same things.",
        "Melanie: Running has been great for my mental health, I try to go every morning before work.",
        "Caroline: My friends gave me a necklace from my grandmother in Sweden for my birthday.",
        "Melanie: Pottery class was relaxing, I made a blue bowl for my mom!",
    ];

    private readonly float[] _vector = new float[100];
    private string[] _sentences = [];
    private ISentenceEmbedder _glove = null!;
    private ISentenceEmbedder _hashing = null!;

    /// <summary>Loads the embedders.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sentences = [.. Enumerable.Range(0, SentencesPerOperation).Select(i => Sample[i % Sample.Length] + " " + i)];
        _glove = GloveSifEmbedder.Load(EmbeddingCache.DefaultDirectory);
        _hashing = new HashingEmbedder(100);
    }

    /// <summary>1,000 sentences through GloVe-SIF.</summary>
    [Benchmark(Baseline = true)]
    public float GloveSif() => EmbedAll(_glove);

    /// <summary>1,000 sentences through the hashing fallback.</summary>
    [Benchmark]
    public float Hashing() => EmbedAll(_hashing);

    private float EmbedAll(ISentenceEmbedder embedder)
    {
        var checksum = 0f;
        foreach (var sentence in _sentences)
        {
            embedder.Embed(sentence, _vector);
            checksum += _vector[0];
        }

        return checksum;
    }
}
