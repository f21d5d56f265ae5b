using System.Diagnostics;

namespace HelaMem.Runtime.Tests;

/// <summary>
/// Grain registration as a user's first test sees it: in a process of its own, since inside the test runner's process
/// other tests have long loaded every grain assembly and would hide a missing registration.
/// </summary>
public sealed class FreshProcessTests
{
    [Fact]
    public async Task A_test_cluster_in_a_fresh_process_finds_grains_of_assemblies_nothing_has_loaded_yet()
    {
        var (exitCode, output) = await RunScenarioAsync(FreshProcessScenario.Name);

        Assert.True(exitCode == 0, $"The scenario exited with {exitCode}:\n{output}");
        Assert.Contains("HelaMem.Grains loaded: True", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunScenarioAsync(string scenario)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(FreshProcessScenario).Assembly.Location);
        start.ArgumentList.Add(scenario);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The scenario process did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // A guard against a hung child, not a speed assertion: the scenario takes about a second.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    // The dotnet CLI tells its child processes where the host is; a test runner started otherwise runs under it too.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host
            ? host
            : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
