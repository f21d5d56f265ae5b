using System.Reflection;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Tests.EndToEnd;

namespace HelaMem.Silo.Tests.Deployment;

/// <summary>
/// Whether an environment variable a deployment file sets is one the silo reads: <c>HelaMem__A__B</c> must name a
/// settable property path of <see cref="ServiceOptions"/> (section <c>HelaMem</c>), and the few plain names must be
/// read by the silo's code (or by Orleans' Kubernetes hosting, for the pod's own facts).
/// </summary>
internal static class SiloSettingNames
{
    // Read by ServiceSetup (HELAMEM_*), ASP.NET Core (ASPNETCORE_URLS), and Orleans' Kubernetes hosting (POD_*).
    private static readonly HashSet<string> PlainNames = ["HELAMEM_DATA_DIR", "HELAMEM_OPERATOR_KEY", "HELAMEM_CACHE_DIR", "ASPNETCORE_URLS"];

    /// <summary>Why the name is not a setting of the silo, or null when it is.</summary>
    public static string? Problem(string name)
    {
        if (PlainNames.Contains(name))
        {
            return name.StartsWith("HELAMEM_", StringComparison.Ordinal) && !SiloSourceMentions($"\"{name}\"")
                ? $"{name}: no code of the silo reads it"
                : null;
        }

        if (name.StartsWith("POD_", StringComparison.Ordinal))
        {
            return KubernetesPodVariables.Contains(name) ? null : $"{name}: Orleans' Kubernetes hosting reads no such variable";
        }

        var segments = name.Split("__");
        if (segments.Length < 2 || segments[0] != ServiceOptions.Section)
        {
            return $"{name}: not a HelaMem__ setting and not one the silo reads";
        }

        var type = typeof(ServiceOptions);
        foreach (var segment in segments[1..])
        {
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return $"{name}: {type.Name} has no property '{segment}'";
            }

            type = property.PropertyType;
        }

        return null;
    }

    /// <summary>The pod variables Orleans' Kubernetes hosting reads (its KubernetesHostingOptions constants).</summary>
    public static readonly HashSet<string> KubernetesPodVariables =
    [
        Orleans.Hosting.Kubernetes.KubernetesHostingOptions.PodNameEnvironmentVariable,
        Orleans.Hosting.Kubernetes.KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        Orleans.Hosting.Kubernetes.KubernetesHostingOptions.PodIPEnvironmentVariable,
    ];

    private static bool SiloSourceMentions(string literal) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "silo", "HelaMem.Silo"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Any(file => File.ReadAllText(file).Contains(literal, StringComparison.Ordinal));
}
