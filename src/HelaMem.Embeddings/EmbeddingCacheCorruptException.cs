namespace HelaMem.Embeddings;

/// <summary>
/// Thrown when a GloVe cache file exists but cannot be trusted: wrong magic or version, truncated, inconsistent
/// header, or a checksum mismatch. Deleting the file and running <c>helamem setup</c> again rebuilds it
/// (setup also rebuilds an invalid cache on its own).
/// </summary>
public sealed class EmbeddingCacheCorruptException : Exception
{
    /// <summary>Creates the exception for <paramref name="cacheFilePath"/> with the specific problem.</summary>
    public EmbeddingCacheCorruptException(string cacheFilePath, string problem)
        : base($"The GloVe cache '{cacheFilePath}' is corrupt or incomplete: {problem}. "
            + "Delete it and run `helamem setup` to rebuild it.")
    {
        CacheFilePath = cacheFilePath;
        Problem = problem;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public EmbeddingCacheCorruptException()
        : base("The GloVe cache is corrupt or incomplete. Delete it and run `helamem setup` to rebuild it.")
    {
    }

    /// <summary>Creates the exception with a custom message.</summary>
    public EmbeddingCacheCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a custom message and the underlying cause.</summary>
    public EmbeddingCacheCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The cache file that failed validation, when known.</summary>
    public string? CacheFilePath { get; }

    /// <summary>What exactly is wrong, e.g. "truncated: expected 1234 bytes, found 1000".</summary>
    public string? Problem { get; }
}
