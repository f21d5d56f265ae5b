using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>
/// A request on a graph built with another embedder than the silo's (its vectors and the silo's cannot be compared);
/// nothing was changed. <c>helamem reembed</c> (<see cref="Grains.IUserGraphGrain.Reembed"/>) moves the graph to the
/// silo's embedder.
/// </summary>
[GenerateSerializer, Alias("helamem.EmbedderMismatchException")]
public sealed class EmbedderMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbedderMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmbedderMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EmbedderMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming both embedders.</summary>
    public EmbedderMismatchException(string graphEmbedder, string siloEmbedder)
        : base($"This memory graph was built with the embedder '{graphEmbedder}', but this silo embeds with '{siloEmbedder}'; "
            + "their vectors cannot be compared, so the request was refused and nothing changed. "
            + "Run `helamem reembed --user <user>` (POST /v1/users/{user}/reembed) to re-embed the user's memories with the silo's embedder, "
            + "or run the silo with HelaMem:Embedder set to the graph's.")
    {
        GraphEmbedder = graphEmbedder;
        SiloEmbedder = siloEmbedder;
    }

    /// <summary>The embedder the graph was built with.</summary>
    [Id(0)]
    public string GraphEmbedder { get; init; } = "";

    /// <summary>The silo's embedder.</summary>
    [Id(1)]
    public string SiloEmbedder { get; init; } = "";
}

/// <summary>The outcome of one re-embedding step (<see cref="Grains.IUserGraphGrain.Reembed"/>).</summary>
/// <param name="From">The embedder the graph was built with (the silo's when the graph was empty or already current).</param>
/// <param name="To">The silo's embedder, which the graph records once no memory remains to re-embed.</param>
/// <param name="Dimensions">The silo embedder's vector length.</param>
/// <param name="Memories">Memories re-embedded by this step.</param>
/// <param name="SemanticItems">Semantic items re-embedded by this step (on the step that finishes).</param>
/// <param name="Remaining">Memories still to re-embed (0: done, the graph records <paramref name="To"/>).</param>
/// <param name="Changed">False when the graph already recorded the silo's embedder (or was empty): nothing was done.</param>
[GenerateSerializer, Immutable, Alias("helamem.ReembedProgress")]
public sealed record ReembedProgress(
    [Id(0)] string From,
    [Id(1)] string To,
    [Id(2)] int Dimensions,
    [Id(3)] long Memories,
    [Id(4)] int SemanticItems,
    [Id(5)] long Remaining,
    [Id(6)] bool Changed);
