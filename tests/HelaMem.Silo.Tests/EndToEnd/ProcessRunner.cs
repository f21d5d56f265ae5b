using System.Diagnostics;
using System.Text;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>Runs the silo and CLI as real processes (<c>dotnet &lt;dll&gt;</c>).</summary>
public static class ProcessRunner
{
    /// <summary>Upper bound for one CLI run; only a hung process reaches it.</summary>
    private static readonly TimeSpan CliDeadline = TimeSpan.FromMinutes(2);

    /// <summary>A free loopback port that no other silo of this test run uses.</summary>
    public static int FreePort() => FreePorts.Next();

    /// <summary>Runs the CLI to completion; returns its exit code and its stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunCliAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(RepositoryPaths.CliDll, arguments, environment, workingDirectory: null);
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CliDeadline);
        await process.WaitForExitAsync(deadline.Token);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> with redirected output.</summary>
    public static Process Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory) =>
        StartDotnet([dll, .. arguments], environment, workingDirectory);

    /// <summary>Starts <c>dotnet <paramref name="arguments"/></c> (e.g. <c>run --project ...</c>) with redirected output.</summary>
    public static Process StartDotnet(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Start from a clean HelaMem environment so that the machine's variables never leak into the test.
        foreach (var name in new[] { "HELAMEM_URL", "HELAMEM_API_KEY", "HELAMEM_OPERATOR_KEY", "HELAMEM_DATA_DIR", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "HelaMem__Cluster__SiloPort", "HelaMem__Cluster__GatewayPort", "HelaMem__Cluster__Profile", "HelaMem__Azure__ConnectionString", "HelaMem__Azure__BlobServiceUri", "HelaMem__Azure__TableServiceUri" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start dotnet {string.Join(" ", info.ArgumentList)}.");
    }
}
