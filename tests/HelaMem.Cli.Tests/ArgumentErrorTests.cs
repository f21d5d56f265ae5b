namespace HelaMem.Cli.Tests;

public sealed class ArgumentErrorTests : IDisposable
{
    private readonly FixtureData _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("data directory not found", "--data", "/nonexistent/helamem-data")]
    [InlineData("conversation 99 not found", "--conversations", "99")]
    [InlineData("--conversations expects", "--conversations", "1,,2")]
    [InlineData("lists a conversation twice", "--conversations", "1,1")]
    [InlineData("--top-k must be at least 1", "--top-k", "0")]
    [InlineData("--max-flipped must not be negative", "--max-flipped", "-1")]
    [InlineData("unknown variant 'telepathy'", "--variant", "telepathy")]
    [InlineData("hybrid", "--method", "magic")]
    [InlineData("no-consolidation", "--ablation", "everything")]
    public async Task Bad_arguments_print_one_error_line_exit_non_zero_and_write_nothing(string expected, string option, string value)
    {
        var args = new List<string> { "eval", "locomo", "--embedder", "hashing", "--output", _data.Output };
        if (option != "--data")
        {
            args.AddRange(["--data", _data.Directory]);
        }

        args.AddRange([option, value]);
        var (exitCode, output) = await CliHarness.RunAsync([.. args]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        var errorLines = output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Single(errorLines);
        Assert.Contains(expected, errorLines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(_data.Output));
    }

    [Fact]
    public async Task Missing_data_option_is_an_error()
    {
        var (exitCode, output) = await CliHarness.RunAsync("eval", "locomo");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("--data", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_glove_without_its_cache_fails_clearly()
    {
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--embedder", "glove", "--cache", Path.Combine(_data.Directory, "none"), "--output", _data.Output);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("error: the GloVe cache is missing", output, StringComparison.Ordinal);
        Assert.Contains("helamem setup", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_data.Output));
    }

    [Fact]
    public async Task A_malformed_conversation_file_is_reported_with_its_name()
    {
        File.WriteAllText(Path.Combine(_data.Directory, "conv-3.json"), "{ \"session_1\": [ ] ");

        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--conversations", "3", "--embedder", "hashing", "--output", _data.Output);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("error:", output, StringComparison.Ordinal);
        Assert.Contains("conv-3.json", output, StringComparison.Ordinal);
    }
}
