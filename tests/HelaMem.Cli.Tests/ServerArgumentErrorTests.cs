namespace HelaMem.Cli.Tests;

/// <summary>Argument errors of the server-side commands are usage errors found before any connection (exit code 2).</summary>
public sealed class ServerArgumentErrorTests : IDisposable
{
    private readonly FixtureData _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("nothing to change")]
    [InlineData("--max-users and --unlimited-users contradict each other", "--max-users", "3", "--unlimited-users")]
    [InlineData("do not combine it with --top-k", "--default-retrieval", "--top-k", "4")]
    [InlineData("--default-llm drops the tenant's LLM override; do not combine it with --llm-endpoint", "--default-llm", "--llm-chat-model", "gpt-4o-mini")]
    public async Task Tenant_quotas_without_a_change_or_with_contradictions_is_a_usage_error(string expected, params string[] options)
    {
        // Nothing listens at this address: the command must stop before connecting.
        var (exitCode, output) = await CliHarness.RunAsync(["tenants", "quotas", "acme", "--url", "http://127.0.0.1:9", .. options]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        var error = Assert.Single(output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("say whose memory: give --user ID, --agent ID or --run ID", "search", "rex")]
    [InlineData("give only one of --user, --agent and --run", "search", "rex", "--user", "a", "--agent", "b")]
    [InlineData("give only one of --user, --agent and --run", "profile", "--agent", "a", "--run", "b")]
    [InlineData("say whose memory", "delete", "--memory", "3")]
    [InlineData("--run needs an id", "ingest", "file", "messages.json", "--run", " ")]
    [InlineData("give either an owner (--user, --agent, --run) or --tenant", "stats", "--run", "r1", "--tenant", "acme")]
    [InlineData("add --yes to confirm", "tenants", "delete", "acme")]
    [InlineData("say whose memory: give --user ID, --agent ID or --run ID, or --all with --tenant NAME", "reembed")]
    [InlineData("say whose memory: give --user ID, --agent ID or --run ID, or --all with --tenant NAME", "reembed", "--user", "a", "--all")]
    [InlineData("--all needs --tenant NAME", "reembed", "--all")]
    [InlineData("--tenant goes with --all", "reembed", "--user", "a", "--tenant", "acme")]
    public async Task Memory_commands_need_exactly_one_owner_and_a_tenant_delete_needs_yes(string expected, params string[] arguments)
    {
        // Nothing listens at this address: the command must stop before connecting.
        var (exitCode, output) = await CliHarness.RunAsync([.. arguments, "--url", "http://127.0.0.1:9"]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        var error = Assert.Single(output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--engine server runs only --method hela", "--method", "dense")]
    [InlineData("cannot apply --variant stem-keywords", "--variant", "stem-keywords")]
    [InlineData("cannot run --ablation no-spreading", "--ablation", "no-spreading")]
    [InlineData("is not an absolute http:// or https:// address", "--url", "not a url")]
    public async Task Eval_on_a_server_refuses_what_the_server_cannot_run(string expected, string option, string value)
    {
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--engine", "server", "--operator-key", "k-0123456789abcdef", "--output", _data.Output, option, value);

        Assert.Equal(ExitCodes.Usage, exitCode);
        var error = Assert.Single(output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_data.Output));
    }
}
