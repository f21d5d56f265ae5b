using HelaMem.Embeddings.Glove;

namespace HelaMem.Embeddings;

/// <summary>
/// Where the offline embedder keeps its converted word vectors. The cache is a per-user artefact (like a
/// NuGet or npm cache), never part of the repository: it is created once by <c>helamem setup</c>
/// (<see cref="GloveSetup.EnsureCacheAsync(string, IProgress{string}?, CancellationToken)"/>).
/// </summary>
public static class EmbeddingCache
{
    /// <summary>The file name of the GloVe cache inside a cache directory; the format version is part of it.</summary>
    public const string GloveFileName = "glove-100d.v1.bin";

    /// <summary>
    /// The default cache directory: <c>$HELAMEM_CACHE_DIR</c> if set, else <c>$XDG_CACHE_HOME/helamem</c>,
    /// else <c>~/.cache/helamem</c>.
    /// </summary>
    public static string DefaultDirectory => ResolveDefaultDirectory(
        Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The rule behind <see cref="DefaultDirectory"/>, with the environment passed in (testable without mutating it).</summary>
    internal static string ResolveDefaultDirectory(Func<string, string?> environmentVariable, string homeDirectory)
    {
        var explicitDirectory = environmentVariable("HELAMEM_CACHE_DIR");
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }

        var xdgCache = environmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdgCache))
        {
            return Path.GetFullPath(Path.Combine(xdgCache, "helamem"));
        }

        return Path.Combine(homeDirectory, ".cache", "helamem");
    }

    /// <summary>The full path of the GloVe cache file inside <paramref name="cacheDirectory"/>.</summary>
    public static string GetGloveFilePath(string cacheDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        return Path.Combine(Path.GetFullPath(cacheDirectory), GloveFileName);
    }

    /// <summary>
    /// True when <paramref name="cacheDirectory"/> holds a GloVe cache of the current format with the length its
    /// header announces. This is a cheap check (one small read); the checksums are verified when loading.
    /// </summary>
    public static bool IsPresent(string cacheDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        return GloveCacheReader.HasValidHeader(GetGloveFilePath(cacheDirectory));
    }
}
