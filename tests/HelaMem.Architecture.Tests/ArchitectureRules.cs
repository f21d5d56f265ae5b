namespace HelaMem.Architecture.Tests;

/// <summary>
/// The dependency rules of design.md §9, as data. Every project in the repository must match exactly one
/// rule; a project nobody wrote a rule for is itself a violation, so new projects get a conscious decision.
/// </summary>
public static class ArchitectureRules
{
    /// <summary>A rule: which projects it covers and what they may reference.</summary>
    /// <param name="Covers">True for the project names this rule governs.</param>
    /// <param name="Description">What the rule protects, for the failure message.</param>
    /// <param name="AllowedProjects">Project names that may be referenced directly (null: any, subject to the global rules).</param>
    /// <param name="AllowedPackages">Package id prefixes that may be referenced (null: any).</param>
    public sealed record Rule(
        Func<string, bool> Covers,
        string Description,
        IReadOnlyList<string>? AllowedProjects,
        IReadOnlyList<string>? AllowedPackages);

    private static readonly string[] HostingAbstractions =
    [
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.Options",
    ];

    // Orleans' contract and serializer-generator packages: all a contracts project may reference of Orleans.
    private static readonly string[] OrleansAbstractions =
    [
        "Microsoft.Orleans.Core.Abstractions",
        "Microsoft.Orleans.CodeGenerator",
        "Microsoft.Orleans.Analyzers",
    ];

    /// <summary>
    /// Orleans packages that carry a concrete provider (storage, clustering, reminder tables, test hosting): choosing one
    /// is composition, done only by the silo, the test kit and tests. "Microsoft.Orleans.Reminders" alone is the reminder
    /// service and its IReminderTable contract, which a provider implements.
    /// </summary>
    public static IReadOnlyList<string> OrleansProviderPackages { get; } =
    [
        "Microsoft.Orleans.Persistence.",
        "Microsoft.Orleans.Clustering.",
        "Microsoft.Orleans.Reminders.",
        "Microsoft.Orleans.GrainDirectory.",
        "Microsoft.Orleans.TestingHost",
        "Microsoft.Orleans.Hosting.",
    ];

    /// <summary>The rules, most specific first.</summary>
    public static IReadOnlyList<Rule> All { get; } =
    [
        new(n => n == "HelaMem.Core",
            "the pure algorithm library references only the BCL (and System.Numerics.Tensors for vector math)",
            [], ["System.Numerics.Tensors"]),
        new(n => n == "HelaMem.Abstractions",
            "the grain contracts reference Orleans' abstractions and serializer generator and nothing else",
            [], OrleansAbstractions),
        new(n => n.StartsWith("HelaMem.Persistence.", StringComparison.Ordinal) && !n.EndsWith(".Tests", StringComparison.Ordinal),
            "storage providers implement Orleans' provider contracts over their database driver (with Orleans' serializer generator, so their exceptions cross silos), and know nothing of the memory grains",
            [], [.. HostingAbstractions, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Reminders", "Microsoft.Orleans.Core", "Microsoft.Orleans.Sdk", "Microsoft.Orleans.CodeGenerator", "Microsoft.Orleans.Analyzers", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql"]),
        new(n => n == "HelaMem.Embeddings",
            "embedders build on the core's contracts only",
            ["HelaMem.Core"], [.. HostingAbstractions]),
        new(n => n == "HelaMem.Embeddings.MiniLm",
            "the MiniLM embedder builds on the core's contracts and ONNX Runtime only; its 83 MB of weights reach only the hosts that reference it (silo, CLI), never the grains or the test kit",
            ["HelaMem.Core"], [.. HostingAbstractions, "Microsoft.ML.OnnxRuntime", "System.Numerics.Tensors"]),
        new(n => n == "HelaMem.Llm",
            "the LLM providers sit on Microsoft.Extensions.AI and the OpenAI / Azure OpenAI SDKs, and know nothing of HelaMem's memory",
            [], [.. HostingAbstractions, "Microsoft.Extensions.AI", "OpenAI", "Azure.AI.OpenAI", "Azure.Identity"]),
        new(n => n == "HelaMem.Grains",
            "the memory grains use the algorithm, the contracts, the embedders and Orleans' runtime, never a concrete storage provider",
            ["HelaMem.Core", "HelaMem.Abstractions", "HelaMem.Embeddings"],
            ["Microsoft.Extensions.", "Microsoft.Orleans.Sdk", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Reminders", "OpenAI"]),
        new(n => n == "HelaMem.Testing",
            "the shipped test kit puts the memory grains and a provider into Orleans' in-process test cluster",
            ["HelaMem.Grains", "HelaMem.Persistence.Sqlite", "HelaMem.Abstractions", "HelaMem.Core", "HelaMem.Embeddings"],
            ["Microsoft.Extensions.", "Microsoft.Orleans."]),
        new(n => n == "HelaMem.Silo",
            "the silo is the composition root of the service",
            null, null),
        new(n => n == "HelaMem.Client",
            "the typed HTTP client is BCL only: it never references Orleans or the grain contracts",
            [], ["Microsoft.Extensions.", "System.Net.Http.Json"]),
        new(n => n == "HelaMem.Cli",
            "the CLI sits on the client and may host in-process evaluations (core, embedders, the test kit, the chat provider for --answer) and the stdio MCP server",
            ["HelaMem.Client", "HelaMem.Abstractions", "HelaMem.Core", "HelaMem.Embeddings", "HelaMem.Embeddings.MiniLm", "HelaMem.Testing", "HelaMem.Grains", "HelaMem.Llm"],
            ["System.CommandLine", "Spectre.Console", "Microsoft.Extensions.", "ModelContextProtocol."]),
        new(n => n.EndsWith(".Tests", StringComparison.Ordinal) || n == "HelaMem.Benchmarks",
            "tests and benchmarks may reference anything",
            null, null),
    ];

    /// <summary>Checks every project against its rule and the global rules; returns one line per violation.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<ProjectFile> projects)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var violations = new List<string>();
        var byName = projects.ToDictionary(p => p.Name, StringComparer.Ordinal);

        foreach (var project in projects)
        {
            CheckNaming(project, violations);
            var rule = All.FirstOrDefault(r => r.Covers(project.Name));
            if (rule is null)
            {
                violations.Add($"{project.Name}: no architecture rule covers this project; add one to ArchitectureRules.");
                continue;
            }

            foreach (var reference in project.ProjectReferences)
            {
                if (rule.AllowedProjects is not null && !rule.AllowedProjects.Contains(reference, StringComparer.Ordinal))
                {
                    violations.Add($"{project.Name} references project {reference}, but {rule.Description}.");
                }
            }

            foreach (var package in project.PackageReferences)
            {
                if (rule.AllowedPackages is not null && !rule.AllowedPackages.Any(prefix => package.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    violations.Add($"{project.Name} references package {package}, but {rule.Description}.");
                }
            }
        }

        CheckGlobalRules(projects, byName, violations);
        return violations;
    }

    private static void CheckNaming(ProjectFile project, List<string> violations)
    {
        if (!project.Name.StartsWith("HelaMem.", StringComparison.Ordinal))
        {
            violations.Add($"{project.RelativePath}: every project is named HelaMem.* (design.md §9).");
        }

        var expectedPath = $"{project.Area}/{project.Name}/{project.Name}.csproj";
        if (!string.Equals(project.RelativePath, expectedPath, StringComparison.Ordinal))
        {
            violations.Add($"{project.RelativePath}: expected the project at {expectedPath}.");
        }

        var expectedArea = project.Name switch
        {
            "HelaMem.Silo" => "silo",
            "HelaMem.Client" or "HelaMem.Cli" => "client",
            _ when project.Name.EndsWith(".Tests", StringComparison.Ordinal) || project.Name == "HelaMem.Benchmarks" => "tests",
            _ => "src",
        };
        if (project.Area != expectedArea)
        {
            violations.Add($"{project.Name} lives in {project.Area}/ but belongs in {expectedArea}/.");
        }
    }

    private static void CheckGlobalRules(IReadOnlyList<ProjectFile> projects, Dictionary<string, ProjectFile> byName, List<string> violations)
    {
        foreach (var project in projects)
        {
            var isTestOrBenchmark = project.Area == "tests";
            var closure = TransitiveReferences(project, byName);

            // The silo is the only composition root: nothing but tests references it, and only it is a web host.
            if (!isTestOrBenchmark && closure.Contains("HelaMem.Silo"))
            {
                violations.Add($"{project.Name} references HelaMem.Silo; the silo is the composition root and nothing depends on it.");
            }

            if (project.Name != "HelaMem.Silo" && project.Sdk.Contains("Web", StringComparison.Ordinal))
            {
                violations.Add($"{project.Name} uses {project.Sdk}; only HelaMem.Silo hosts the service.");
            }

            // Wiring a concrete storage provider is composition: only the silo, the test kit and tests do it.
            var composesProviders = project.Name is "HelaMem.Silo" or "HelaMem.Testing" || isTestOrBenchmark;
            foreach (var reference in project.ProjectReferences.Where(r => r.StartsWith("HelaMem.Persistence.", StringComparison.Ordinal)))
            {
                if (!composesProviders)
                {
                    violations.Add($"{project.Name} references the storage provider {reference}; only the silo and the test kit compose providers.");
                }
            }

            foreach (var package in project.PackageReferences.Where(p => OrleansProviderPackages.Any(prefix => p.StartsWith(prefix, StringComparison.Ordinal))))
            {
                if (!composesProviders)
                {
                    violations.Add($"{project.Name} references the Orleans provider package {package}; only the silo and the test kit compose providers.");
                }
            }

            // The HTTP client library never pulls in Orleans, not even transitively through another project.
            if (project.Name == "HelaMem.Client")
            {
                foreach (var dependency in closure.Where(byName.ContainsKey))
                {
                    if (byName[dependency].PackageReferences.Any(p => p.StartsWith("Microsoft.Orleans.", StringComparison.Ordinal)))
                    {
                        violations.Add($"HelaMem.Client reaches Orleans through {dependency}; the client never references Orleans.");
                    }
                }
            }

            // The BCL-only library stays BCL-only through its whole closure.
            if (project.Name is "HelaMem.Core")
            {
                foreach (var dependency in closure.Where(byName.ContainsKey))
                {
                    var packages = byName[dependency].PackageReferences;
                    if (packages.Count > 0)
                    {
                        violations.Add($"{project.Name} reaches packages {string.Join(", ", packages)} through {dependency}; it must stay BCL-only.");
                    }
                }
            }
        }
    }

    /// <summary>All project names reachable from <paramref name="project"/> through project references.</summary>
    public static HashSet<string> TransitiveReferences(ProjectFile project, IReadOnlyDictionary<string, ProjectFile> byName)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(byName);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(project.ProjectReferences);
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (!seen.Add(name) || !byName.TryGetValue(name, out var next))
            {
                continue;
            }

            foreach (var reference in next.ProjectReferences)
            {
                stack.Push(reference);
            }
        }

        return seen;
    }
}
