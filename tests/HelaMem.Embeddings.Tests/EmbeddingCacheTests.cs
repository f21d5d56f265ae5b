namespace HelaMem.Embeddings.Tests;

public sealed class EmbeddingCacheTests
{
    private static readonly string Home = Path.Combine(Path.GetTempPath(), "home-of-someone");

    [Fact]
    public void HELAMEM_CACHE_DIR_wins()
    {
        var directory = EmbeddingCache.ResolveDefaultDirectory(
            name => name switch { "HELAMEM_CACHE_DIR" => "/srv/helamem-cache", "XDG_CACHE_HOME" => "/xdg", _ => null },
            Home);

        Assert.Equal(Path.GetFullPath("/srv/helamem-cache"), directory);
    }

    [Fact]
    public void XDG_CACHE_HOME_is_used_next()
    {
        var directory = EmbeddingCache.ResolveDefaultDirectory(name => name == "XDG_CACHE_HOME" ? "/xdg" : null, Home);

        Assert.Equal(Path.GetFullPath("/xdg/helamem"), directory);
    }

    [Fact]
    public void The_home_cache_folder_is_the_last_resort()
    {
        var directory = EmbeddingCache.ResolveDefaultDirectory(name => name == "HELAMEM_CACHE_DIR" ? "  " : null, Home);

        Assert.Equal(Path.Combine(Home, ".cache", "helamem"), directory);
    }

    [Fact]
    public void The_default_directory_is_absolute()
    {
        Assert.True(Path.IsPathFullyQualified(EmbeddingCache.DefaultDirectory));
    }
}
