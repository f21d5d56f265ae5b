using System.Text;
using HelaMem.Cli.Mcp;

namespace HelaMem.Cli.Tests;

/// <summary><c>helamem mcp</c>'s usage errors: reported on its log (stderr) before anything is served, stdout untouched.</summary>
public sealed class McpCommandTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:9")]
    [InlineData("not a url")]
    public async Task A_malformed_url_is_a_usage_error_on_the_log_and_nothing_on_stdout(string url)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n"));
        using var output = new MemoryStream();
        using var log = new StringWriter();

        var exitCode = await McpCommand.RunAsync(url, input, output, log, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal($"error: --url '{url}' is not an absolute http:// or https:// address.", log.ToString().Trim());
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task The_command_takes_no_arguments()
    {
        var (exitCode, output) = await CliHarness.RunAsync("mcp", "extra");
        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("error:", output, StringComparison.Ordinal);
    }
}
