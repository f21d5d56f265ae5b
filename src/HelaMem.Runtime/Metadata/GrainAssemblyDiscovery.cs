using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using HelaMem.Runtime.CodeGeneration;

namespace HelaMem.Runtime.Metadata;

/// <summary>
/// Finds the assemblies with generated grain manifests when the host named none: those already loaded, plus those the
/// application ships but has not loaded yet. The second part matters because .NET loads an assembly only when code
/// first touches one of its types: a test that only uses grain interfaces (from a contracts assembly) would otherwise
/// deploy a cluster that knows neither the grain classes nor the proxies, which live in the grains assembly.
/// </summary>
internal static class GrainAssemblyDiscovery
{
    // The host's list of the application's assemblies (from its deps.json) does not change while the process runs,
    // so the file scan is done once per process.
    private static readonly Lazy<AssemblyName[]> ShippedCandidates = new(FindShippedCandidates);

    /// <summary>Every loaded or shipped assembly that carries a grain manifest.</summary>
    public static IReadOnlyList<Assembly> FindGrainAssemblies()
    {
        foreach (var name in ShippedCandidates.Value)
        {
            TryLoad(name);
        }

        return [.. AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.IsDefined(typeof(GrainManifestAttribute), inherit: false))];
    }

    private static void TryLoad(AssemblyName name)
    {
        try
        {
            AssemblyLoadContext.Default.LoadFromAssemblyName(name);
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // Listed by the host but not loadable here (e.g. a reference assembly): it cannot carry grains we could run.
        }
    }

    // The application's own assemblies (not the shared framework's) that reference HelaMem.Runtime, where the manifest
    // attribute lives; generated code always references it. Reading metadata does not load the assembly.
    private static AssemblyName[] FindShippedCandidates()
    {
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string list)
        {
            return [];
        }

        var runtimeName = typeof(GrainManifestAttribute).Assembly.GetName().Name;
        var frameworkRoot = FrameworkRoot();
        var candidates = new List<AssemblyName>();
        foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (frameworkRoot is not null && path.StartsWith(frameworkRoot, StringComparison.Ordinal))
            {
                continue;
            }

            if (ReferencesAssembly(path, runtimeName, out var name) && name is not null)
            {
                candidates.Add(name);
            }
        }

        return [.. candidates];
    }

    // .../shared/ above Microsoft.NETCore.App/<version>/: skips every shared framework (also ASP.NET Core's).
    private static string? FrameworkRoot()
    {
        var coreLibDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var shared = coreLibDirectory is null ? null : Directory.GetParent(coreLibDirectory)?.Parent;
        return shared is null ? null : shared.FullName + Path.DirectorySeparatorChar;
    }

    private static bool ReferencesAssembly(string path, string? referencedName, out AssemblyName? name)
    {
        name = null;
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return false;
            }

            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly)
            {
                return false;
            }

            foreach (var handle in reader.AssemblyReferences)
            {
                if (reader.StringComparer.Equals(reader.GetAssemblyReference(handle).Name, referencedName ?? string.Empty))
                {
                    name = reader.GetAssemblyDefinition().GetAssemblyName();
                    return true;
                }
            }

            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
