using System.Diagnostics;
using System.Text;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// The CLI as a .NET tool, installed exactly as docs/api.md says (pack into .cache/tools, install with the committed
/// tools.nuget.config), then used against a silo process: the quick start's commands through the installed
/// <c>helamem</c>, with no <c>dotnet run</c> in between.
/// </summary>
public sealed class CliToolPackageEndToEndTests
{
    private const string OperatorKey = "tool-operator-key-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly Dictionary<string, string> NoVariables = [];

    [Fact]
    public async Task The_packed_tool_installs_from_the_documented_source_and_runs_the_quick_start()
    {
        using var tools = new TempDirectory("helamem-tool-path");
        var root = RepositoryPaths.Root;

        // The build the tests run on is packed (no second build); the documented command adds -c Release.
        // A version of its own, as the documented command gives each pack (NuGet caches packages by id and version).
        var version = $"1.0.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        var (packCode, packOutput) = await RunAsync("dotnet", root, NoVariables, "pack", "client/HelaMem.Cli", "-c", RepositoryPaths.Configuration, "--no-build", "-o", ".cache/tools",
            $"-p:PackageVersion={version}");
        Assert.True(packCode == 0, packOutput);
        var (installCode, installOutput) = await RunAsync("dotnet", root, NoVariables, "tool", "install", "--tool-path", tools.Path,
            "--configfile", "client/HelaMem.Cli/tools.nuget.config", "--version", version, "HelaMem.Cli");
        Assert.True(installCode == 0, installOutput);
        Assert.Contains(version, installOutput, StringComparison.Ordinal);
        var helamem = Path.Combine(tools.Path, OperatingSystem.IsWindows() ? "helamem.exe" : "helamem");
        Assert.True(File.Exists(helamem), $"no {helamem} after: {installOutput}");

        using var data = new TempDirectory("helamem-tool-silo");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey);
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (code, output) = await RunAsync(helamem, data.Path, environment, "tenants", "create", "tooltenant");
        Assert.True(code == 0, output);
        environment["HELAMEM_API_KEY"] = output.Trim().Split('\n')[^1].Trim();

        (code, output) = await RunAsync(helamem, data.Path, environment, "ingest", "locomo", RepositoryPaths.LocomoConversation("26"), "--user", "caroline");
        Assert.True(code == 0, output);
        (code, output) = await RunAsync(helamem, data.Path, environment, "search", "When did Caroline go to the LGBTQ support group?", "--user", "caroline", "--json");
        Assert.True(code == 0, output);
        Assert.Contains("\"dia_id\"", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "HELAMEM_URL", "HELAMEM_API_KEY", "HELAMEM_OPERATOR_KEY" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }
}
