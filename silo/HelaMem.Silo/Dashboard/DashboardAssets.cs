using System.Reflection;

namespace HelaMem.Silo.Dashboard;

/// <summary>
/// HelaMem's dashboard files, embedded in the silo's assembly (Dashboard/Assets): served by the silo itself, with
/// nothing from a CDN or font service, so the page works on a machine without internet access.
/// </summary>
internal static class DashboardAssets
{
    private const string Prefix = "HelaMem.Dashboard.";

    /// <summary>The policy of HelaMem's pages: only the silo's own scripts, styles and data; never framed.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, byte[]> Files = Load();

    /// <summary>A file's bytes; throws when the build did not embed it.</summary>
    public static byte[] Bytes(string name) =>
        Files.TryGetValue(name, out var bytes) ? bytes : throw new InvalidOperationException($"The dashboard file {name} is not embedded in the silo.");

    /// <summary>A text file's content.</summary>
    public static string Text(string name) => System.Text.Encoding.UTF8.GetString(Bytes(name));

    /// <summary>Serves a file with its content type and the pages' security policy.</summary>
    public static IResult Serve(HttpContext context, string name, string contentType)
    {
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return Results.Bytes(Bytes(name), contentType);
    }

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[Prefix.Length..]] = copy.ToArray();
        }

        return files;
    }
}
