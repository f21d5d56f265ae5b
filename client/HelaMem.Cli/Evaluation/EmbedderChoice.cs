using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Embeddings.MiniLm;
using Spectre.Console;

namespace HelaMem.Cli.Evaluation;

/// <summary>Which sentence embedder an evaluation uses.</summary>
public enum EmbedderChoice
{
    /// <summary>GloVe-SIF when its cache is present, otherwise the hashing embedder with a loud warning.</summary>
    Auto,

    /// <summary>GloVe-SIF; an error when the cache is missing.</summary>
    Glove,

    /// <summary>The hashing embedder (deterministic, no data needed; not comparable with the reference figures).</summary>
    Hashing,

    /// <summary>all-MiniLM-L6-v2 (384-d), the released HeLa-Mem code's encoder, run with ONNX Runtime on one thread.</summary>
    MiniLm,
}

/// <summary>Creates the chosen embedder and says which one it is.</summary>
public static class EmbedderSelection
{
    /// <summary>Dimensions of the hashing embedder, the same as GloVe's.</summary>
    public const int HashingDimensions = 100;

    /// <summary>Creates the embedder; throws <see cref="CliUsageException"/> when GloVe is asked for and absent.</summary>
    public static ISentenceEmbedder Create(EmbedderChoice choice, string cacheDirectory, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (choice == EmbedderChoice.MiniLm)
        {
            // One inference thread: the evaluation measures per-call latency, as a silo's grains see it.
            return MiniLmEmbedder.Load();
        }

        var present = EmbeddingCache.IsPresent(cacheDirectory);
        switch (choice)
        {
            case EmbedderChoice.Glove when !present:
                throw new CliUsageException($"the GloVe cache is missing in {cacheDirectory}: run `helamem setup` first, or pass --embedder hashing");
            case EmbedderChoice.Glove:
            case EmbedderChoice.Auto when present:
                return GloveSifEmbedder.Load(cacheDirectory);
            case EmbedderChoice.Auto:
                console.MarkupLine($"[bold yellow]WARNING:[/] [yellow]the GloVe cache is missing in {Markup.Escape(cacheDirectory)}; falling back to the hashing embedder. "
                    + "Its results are NOT comparable with the reference figures. Run `helamem setup` to fetch GloVe.[/]");
                return new HashingEmbedder(HashingDimensions);
            default:
                return new HashingEmbedder(HashingDimensions);
        }
    }
}
