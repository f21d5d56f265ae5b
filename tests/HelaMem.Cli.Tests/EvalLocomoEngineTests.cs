using System.Text.Json;

namespace HelaMem.Cli.Tests;

/// <summary><c>--engine grains</c> runs HeLa-Mem through the memory grains and must give the core engine's results.</summary>
public sealed class EvalLocomoEngineTests : IDisposable
{
    private readonly FixtureData _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("none")]
    [InlineData("helamem")]
    [InlineData("use-feedback")]
    public async Task Grains_engine_gives_the_core_recall_items_and_context_tokens(string variant)
    {
        var core = await RunAsync("core", variant);
        var grains = await RunAsync("grains", variant);

        Assert.Equal("core", core.GetProperty("engine").GetString());
        Assert.Equal("grains", grains.GetProperty("engine").GetString());
        Assert.Equal(core.GetProperty("recall").GetRawText(), grains.GetProperty("recall").GetRawText());
        Assert.Equal(core.GetProperty("questions").GetInt32(), grains.GetProperty("questions").GetInt32());
        Assert.Equal(core.GetProperty("items_per_query").GetDouble(), grains.GetProperty("items_per_query").GetDouble());
        Assert.Equal(core.GetProperty("context_tokens_per_query").GetDouble(), grains.GetProperty("context_tokens_per_query").GetDouble());
        Assert.Equal(core.GetProperty("ablation").GetString(), grains.GetProperty("ablation").GetString());
    }

    [Theory]
    [InlineData("bm25")]
    [InlineData("all")]
    public async Task Grains_engine_with_a_baseline_is_a_one_line_usage_error(string method)
    {
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--method", method, "--engine", "grains", "--embedder", "hashing", "--output", _data.Output);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("--engine grains runs only --method hela", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data.Output, "summary.json")));
    }

    private async Task<JsonElement> RunAsync(string engine, string variant)
    {
        var output = Path.Combine(_data.Output, $"{engine}-{variant}");
        List<string> args = ["eval", "locomo", "--data", _data.Directory, "--embedder", "hashing", "--top-k", "3", "--max-flipped", "1", "--engine", engine, "--output", output];
        if (variant != "none")
        {
            args.AddRange(["--variant", variant]);
        }

        var (exitCode, text) = await CliHarness.RunAsync([.. args]);
        Assert.True(exitCode == 0, text);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
        var runs = summary.RootElement.EnumerateArray().ToList();
        var run = Assert.Single(runs);
        Assert.Equal("hela", run.GetProperty("method").GetString());
        return run.Clone();
    }
}
