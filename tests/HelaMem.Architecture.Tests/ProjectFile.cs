using System.Xml.Linq;

namespace HelaMem.Architecture.Tests;

/// <summary>What the architecture rules need to know about one project file.</summary>
public sealed record ProjectFile(
    string Name,
    string RelativePath,
    string Sdk,
    IReadOnlyList<string> ProjectReferences,
    IReadOnlyList<string> PackageReferences)
{
    /// <summary>The top-level folder the project lives in (src, tests, silo, client).</summary>
    public string Area => RelativePath.Split('/')[0];

    /// <summary>Parses a project file's XML. <paramref name="relativePath"/> uses forward slashes.</summary>
    public static ProjectFile Parse(string relativePath, XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.Root ?? throw new InvalidDataException($"{relativePath} has no root element.");
        var projectReferences = root.Descendants("ProjectReference")
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
            .ToList();
        var packageReferences = root.Descendants("PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? (string?)e.Attribute("Update") ?? string.Empty)
            .ToList();
        return new ProjectFile(
            Path.GetFileNameWithoutExtension(relativePath),
            relativePath,
            (string?)root.Attribute("Sdk") ?? string.Empty,
            projectReferences,
            packageReferences);
    }
}
