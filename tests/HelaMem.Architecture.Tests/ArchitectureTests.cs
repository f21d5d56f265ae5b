using System.Xml.Linq;

namespace HelaMem.Architecture.Tests;

/// <summary>Keeps the layering of design.md §9 true for the real project files in this repository.</summary>
public sealed class ArchitectureTests
{
    private static readonly XNamespace None = XNamespace.None;

    [Fact]
    public void The_repository_obeys_every_dependency_rule()
    {
        var projects = Repository.LoadProjects();

        Assert.Contains(projects, p => p.Name == "HelaMem.Core");
        Assert.Contains(projects, p => p.Name == "HelaMem.Abstractions");
        Assert.Empty(ArchitectureRules.Check(projects));
    }

    [Fact]
    public void Every_project_is_in_the_solution()
    {
        var solution = File.ReadAllText(Path.Combine(Repository.Root, "HelaMem.Orleans.sln")).Replace('\\', '/');

        var missing = Repository.LoadProjects().Where(p => !solution.Contains(p.RelativePath, StringComparison.Ordinal)).Select(p => p.Name).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void A_project_reference_from_the_core_to_the_grains_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Core/HelaMem.Core.csproj",
            doc => AddItem(doc, "ProjectReference", "..\\HelaMem.Grains\\HelaMem.Grains.csproj"));

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Core references project HelaMem.Grains", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_references_the_removed_own_runtime()
    {
        var removed = new[] { "HelaMem.Runtime", "HelaMem.Runtime.Abstractions", "HelaMem.Runtime.Generators", "HelaMem.TestingHost", "HelaMem.Persistence.Memory" };
        var projects = Repository.LoadProjects();

        Assert.DoesNotContain(projects, p => removed.Contains(p.Name));
        Assert.Empty(projects.SelectMany(p => p.ProjectReferences.Where(removed.Contains).Select(r => $"{p.Name} -> {r}")));
    }

    [Fact]
    public void A_grain_contract_that_references_more_of_Orleans_than_its_abstractions_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Abstractions/HelaMem.Abstractions.csproj",
            doc => AddItem(doc, "PackageReference", "Microsoft.Orleans.Runtime"));

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Abstractions references package Microsoft.Orleans.Runtime", StringComparison.Ordinal));
    }

    [Fact]
    public void The_grains_choosing_an_Orleans_storage_provider_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Grains/HelaMem.Grains.csproj",
            doc => AddItem(doc, "PackageReference", "Microsoft.Orleans.Persistence.AzureStorage"));

        Assert.Contains(violations, v => v.Contains("Orleans provider package Microsoft.Orleans.Persistence.AzureStorage", StringComparison.Ordinal));
    }

    [Fact]
    public void A_package_reference_from_the_core_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Core/HelaMem.Core.csproj",
            doc => AddItem(doc, "PackageReference", "Microsoft.Extensions.Logging"));

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Core references package Microsoft.Extensions.Logging", StringComparison.Ordinal));
    }

    [Fact]
    public void A_library_that_depends_on_the_silo_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Core/HelaMem.Core.csproj",
            doc => AddItem(doc, "ProjectReference", "..\\..\\silo\\HelaMem.Silo\\HelaMem.Silo.csproj"));

        Assert.Contains(violations, v => v.Contains("HelaMem.Core references HelaMem.Silo", StringComparison.Ordinal));
    }

    [Fact]
    public void A_client_that_reaches_Orleans_transitively_is_refused()
    {
        // The real client, altered to reference the grain contracts, which reference Orleans' abstractions.
        var violations = CheckWithAlteredProject("client/HelaMem.Client/HelaMem.Client.csproj",
            doc => AddItem(doc, "ProjectReference", "..\\..\\src\\HelaMem.Abstractions\\HelaMem.Abstractions.csproj"));

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Client reaches Orleans through HelaMem.Abstractions", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_without_a_rule_is_refused()
    {
        var projects = Repository.LoadProjects().Append(new ProjectFile("HelaMem.Misc", "src/HelaMem.Misc/HelaMem.Misc.csproj", "Microsoft.NET.Sdk", [], [])).ToList();

        Assert.Contains(ArchitectureRules.Check(projects), v => v.StartsWith("HelaMem.Misc: no architecture rule", StringComparison.Ordinal));
    }

    [Fact]
    public void No_project_relaxes_the_shared_build_rules()
    {
        var relaxed = new List<string>();
        foreach (var project in Repository.LoadProjects())
        {
            var xml = Repository.LoadXml(project.RelativePath);
            foreach (var element in xml.Descendants())
            {
                var name = element.Name.LocalName;
                var value = element.Value.Trim();
                if ((name == "TreatWarningsAsErrors" && value != "true") || (name == "Nullable" && value != "enable") || name == "NoWarn" || name == "ManagePackageVersionsCentrally")
                {
                    relaxed.Add($"{project.Name}: <{name}>{value}</{name}>");
                }
            }

            foreach (var reference in xml.Descendants("PackageReference"))
            {
                if (reference.Attribute("Version") is not null || reference.Attribute("VersionOverride") is not null)
                {
                    relaxed.Add($"{project.Name}: {reference.Attribute("Include")?.Value} sets its own version; versions are central.");
                }
            }
        }

        Assert.Empty(relaxed);
    }

    [Fact]
    public void The_shared_build_rules_are_in_force()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"));
        string? Property(string name) => props.Descendants(None + name).FirstOrDefault()?.Value;

        Assert.Equal("net10.0", Property("TargetFramework"));
        Assert.Equal("enable", Property("Nullable"));
        Assert.Equal("true", Property("TreatWarningsAsErrors"));
        Assert.Equal("true", Property("Deterministic"));
        Assert.Equal("latest-recommended", Property("AnalysisLevel"));
    }

    private static IReadOnlyList<string> CheckWithAlteredProject(string relativePath, Func<XDocument, XDocument> alter)
    {
        var altered = ProjectFile.Parse(relativePath, alter(Repository.LoadXml(relativePath)));
        var projects = Repository.LoadProjects().Where(p => p.Name != altered.Name).Append(altered).ToList();
        return ArchitectureRules.Check(projects);
    }

    private static XDocument AddItem(XDocument document, string itemType, string include)
    {
        document.Root!.Add(new XElement("ItemGroup", new XElement(itemType, new XAttribute("Include", include))));
        return document;
    }
}
