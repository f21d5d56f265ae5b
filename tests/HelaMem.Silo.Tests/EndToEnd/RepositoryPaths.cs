namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>Where the repository, its build outputs and the shared datasets are, seen from the test assembly.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (the directory holding HelaMem.Orleans.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests run in (Debug or Release), read from the test assembly's path.</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The silo's build output.</summary>
    public static string SiloDll => Output("silo", "HelaMem.Silo", "HelaMem.Silo.dll");

    /// <summary>The CLI's build output.</summary>
    public static string CliDll => Output("client", "HelaMem.Cli", "helamem.dll");

    /// <summary>A LoCoMo development conversation in the shared folder beside the repository (where CI places it).</summary>
    public static string LocomoConversation(string id)
    {
        var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets", "locomo", $"conv-{id}.json"));
        return File.Exists(path) ? path : throw new FileNotFoundException($"The LoCoMo conversation {path} is missing; the shared folder must sit beside the repository.", path);
    }

    private static string Output(string area, string project, string file)
    {
        var path = Path.Combine(Root, area, project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing; build the solution ({Configuration}) first.", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HelaMem.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No HelaMem.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
