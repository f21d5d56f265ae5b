using System.Xml.Linq;

namespace HelaMem.Architecture.Tests;

/// <summary>Finds the repository root and loads the real project files in it.</summary>
public static class Repository
{
    private static readonly string[] ProjectAreas = ["src", "tests", "silo", "client"];

    /// <summary>The repository root: the nearest ancestor of the test binaries holding HelaMem.Orleans.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every project file under src/, tests/, silo/ and client/.</summary>
    public static IReadOnlyList<ProjectFile> LoadProjects() =>
        ProjectAreas
            .Select(area => Path.Combine(Root, area))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.csproj", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(path))
            .Select(path => ProjectFile.Parse(RelativePath(path), XDocument.Load(path)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Loads one project's XML by repository-relative path (for tests that alter it in memory).</summary>
    public static XDocument LoadXml(string relativePath) => XDocument.Load(Path.Combine(Root, relativePath));

    /// <summary>The repository-relative path, with forward slashes.</summary>
    public static string RelativePath(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    private static bool IsBuildOutput(string path)
    {
        var parts = path.Replace('\\', '/').Split('/');
        return parts.Contains("bin") || parts.Contains("obj");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HelaMem.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"HelaMem.Orleans.sln was not found above {AppContext.BaseDirectory}.");
    }
}
