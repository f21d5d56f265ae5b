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
        Assert.Contains(projects, p => p.Name == "HelaMem.Runtime.Abstractions");
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
    public void A_project_reference_from_the_core_to_the_runtime_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Core/HelaMem.Core.csproj",
            doc => AddItem(doc, "ProjectReference", "..\\HelaMem.Runtime\\HelaMem.Runtime.csproj"));

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Core references project HelaMem.Runtime", StringComparison.Ordinal));
    }

    [Fact]
    public void A_package_reference_from_the_core_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Core/HelaMem.Core.csproj",
            doc => AddItem(doc, "PackageReference", "Microsoft.Extensions.Logging"));

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Core references package Microsoft.Extensions.Logging", StringComparison.Ordinal));
    }

    [Fact]
    public void A_package_reference_from_the_runtime_contracts_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Runtime.Abstractions/HelaMem.Runtime.Abstractions.csproj",
            doc => AddItem(doc, "PackageReference", "Microsoft.Data.Sqlite"));

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Runtime.Abstractions references package Microsoft.Data.Sqlite", StringComparison.Ordinal));
    }

    [Fact]
    public void A_library_that_depends_on_the_silo_is_refused()
    {
        var violations = CheckWithAlteredProject("src/HelaMem.Core/HelaMem.Core.csproj",
            doc => AddItem(doc, "ProjectReference", "..\\..\\silo\\HelaMem.Silo\\HelaMem.Silo.csproj"));

        Assert.Contains(violations, v => v.Contains("HelaMem.Core references HelaMem.Silo", StringComparison.Ordinal));
    }

    [Fact]
    public void A_client_that_reaches_the_runtime_transitively_is_refused()
    {
        // The real contracts project, altered to pull in the runtime, and a client that references only it.
        var projects = Repository.LoadProjects().ToList();
        var contracts = ProjectFile.Parse("src/HelaMem.Runtime.Abstractions/HelaMem.Runtime.Abstractions.csproj",
            AddItem(Repository.LoadXml("src/HelaMem.Runtime.Abstractions/HelaMem.Runtime.Abstractions.csproj"), "ProjectReference", "..\\HelaMem.Runtime\\HelaMem.Runtime.csproj"));
        projects.RemoveAll(p => p.Name is "HelaMem.Runtime.Abstractions" or "HelaMem.Client" or "HelaMem.Abstractions");
        projects.Add(contracts);
        projects.Add(new ProjectFile("HelaMem.Abstractions", "src/HelaMem.Abstractions/HelaMem.Abstractions.csproj", "Microsoft.NET.Sdk", ["HelaMem.Runtime.Abstractions"], []));
        projects.Add(new ProjectFile("HelaMem.Client", "client/HelaMem.Client/HelaMem.Client.csproj", "Microsoft.NET.Sdk", ["HelaMem.Abstractions"], []));

        var violations = ArchitectureRules.Check(projects);

        Assert.Contains(violations, v => v.StartsWith("HelaMem.Client reaches the runtime", StringComparison.Ordinal));
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
