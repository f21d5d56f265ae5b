using System.Text.Json;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// <c>helamem eval locomo --engine server</c> against the real silo process (hashing embedder, so both sides embed
/// alike): the recall table equals the core engine's for both retrieval profiles (<c>--variant decaying-hebbian</c> runs
/// profile paper, <c>--variant helamem</c> profile helamem), and the run leaves no users behind and its throw-away
/// tenant disabled with its key revoked.
/// </summary>
public sealed class EvalServerEndToEndTests
{
    private const string OperatorKey = "eval-operator-key-0123456789";

    [Fact]
    public async Task Server_engine_gives_the_core_table_and_cleans_up()
    {
        using var data = new TempDirectory("helamem-eval-e2e");
        using var emptyCache = new TempDirectory("helamem-eval-cache");
        using var fixture = new TempDirectory("helamem-eval-data");
        EvalFixture.Write(fixture.Path);
        var output = Path.Combine(fixture.Path, "out");

        // Hubs-only consolidation, as the core engine's: the turn trigger would add semantic items to the server's context.
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey, new Dictionary<string, string>
        {
            ["HELAMEM_CACHE_DIR"] = emptyCache.Path,
            ["HelaMem__ConsolidateEveryTurns"] = "0",
        });
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        string[] common = ["eval", "locomo", "--data", fixture.Path, "--top-k", "3", "--max-flipped", "1"];

        var (serverCode, serverOutput) = await ProcessRunner.RunCliAsync(environment, [.. common, "--engine", "server", "--output", Path.Combine(output, "server")]);
        Assert.True(serverCode == 0, serverOutput);
        Assert.Contains("hashing-100d", serverOutput, StringComparison.Ordinal);
        var (coreCode, coreOutput) = await ProcessRunner.RunCliAsync(environment,
            [.. common, "--engine", "core", "--variant", "decaying-hebbian", "--embedder", "hashing", "--output", Path.Combine(output, "core")]);
        Assert.True(coreCode == 0, coreOutput);

        var server = await SummaryAsync(Path.Combine(output, "server"));
        var core = await SummaryAsync(Path.Combine(output, "core"));
        Assert.Equal("server", server.GetProperty("engine").GetString());
        Assert.Equal(EvalFixture.Questions, server.GetProperty("questions").GetInt32());
        Assert.Equal(core.GetProperty("recall").GetRawText(), server.GetProperty("recall").GetRawText());
        Assert.Equal(core.GetProperty("items_per_query").GetDouble(), server.GetProperty("items_per_query").GetDouble());
        Assert.Equal(core.GetProperty("context_tokens_per_query").GetDouble(), server.GetProperty("context_tokens_per_query").GetDouble());
        Assert.Equal("none+decaying-hebbian", server.GetProperty("ablation").GetString());
        Assert.Equal(core.GetProperty("ablation").GetString(), server.GetProperty("ablation").GetString());

        // Clean-up: the throw-away tenant has no users left, its key is revoked and it is disabled.
        using var ops = new HelaMemClient(new HelaMemClientOptions { BaseAddress = silo.Url, OperatorKey = OperatorKey });
        var tenant = Assert.Single((await ops.ListTenantsAsync()).Tenants, t => t.Name.StartsWith("eval-", StringComparison.Ordinal));
        Assert.True(tenant.Disabled);
        Assert.All(tenant.Keys, k => Assert.NotNull(k.RevokedAt));
        Assert.Equal(new RetrievalSettings(3, 1, "paper"), tenant.Retrieval);
        var stats = await ops.GetTenantStatsAsync(tenant.Name);
        Assert.Equal(0, stats.Users);
        Assert.Equal(1, stats.UsersDeleted);

        // The recommended configuration: the throw-away tenant runs profile helamem, and the server equals the core engine.
        var (helaCode, helaOutput) = await ProcessRunner.RunCliAsync(environment, [.. common, "--engine", "server", "--variant", "helamem", "--output", Path.Combine(output, "server-helamem")]);
        Assert.True(helaCode == 0, helaOutput);
        Assert.Contains("retrieval profile helamem", helaOutput, StringComparison.Ordinal);
        var (coreHelaCode, coreHelaOutput) = await ProcessRunner.RunCliAsync(environment,
            [.. common, "--engine", "core", "--variant", "helamem", "--embedder", "hashing", "--output", Path.Combine(output, "core-helamem")]);
        Assert.True(coreHelaCode == 0, coreHelaOutput);
        var serverHela = await SummaryAsync(Path.Combine(output, "server-helamem"));
        var coreHela = await SummaryAsync(Path.Combine(output, "core-helamem"));
        Assert.Equal(coreHela.GetProperty("recall").GetRawText(), serverHela.GetProperty("recall").GetRawText());
        Assert.Equal(coreHela.GetProperty("items_per_query").GetDouble(), serverHela.GetProperty("items_per_query").GetDouble());
        Assert.Equal(coreHela.GetProperty("context_tokens_per_query").GetDouble(), serverHela.GetProperty("context_tokens_per_query").GetDouble());
        Assert.Equal(coreHela.GetProperty("ablation").GetString(), serverHela.GetProperty("ablation").GetString());
        Assert.Contains((await ops.ListTenantsAsync()).Tenants, t => t.Name.StartsWith("eval-", StringComparison.Ordinal) && t.Retrieval?.Profile == "helamem" && t.Disabled);

        // With only a tenant API key the run uses that tenant (its own k, m and profile, which it prints), deletes its
        // users and leaves the tenant as it was.
        var issued = await ops.CreateTenantAsync(new CreateTenantRequest("own-tenant", Retrieval: new RetrievalSettings(3, 1, "paper")));
        var tenantEnvironment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_API_KEY"] = issued.ApiKey };
        var (keyCode, keyOutput) = await ProcessRunner.RunCliAsync(tenantEnvironment, [.. common, "--engine", "server", "--output", Path.Combine(output, "api-key")]);
        Assert.True(keyCode == 0, keyOutput);
        Assert.Contains("k, m and the retrieval profile are the tenant's settings", keyOutput, StringComparison.Ordinal);
        Assert.Contains("The tenant's users ran retrieval profile paper.", keyOutput, StringComparison.Ordinal);
        var withKey = await SummaryAsync(Path.Combine(output, "api-key"));
        Assert.Equal(core.GetProperty("recall").GetRawText(), withKey.GetProperty("recall").GetRawText());
        var own = await ops.GetTenantAsync("own-tenant");
        Assert.False(own.Disabled);
        Assert.Null(Assert.Single(own.Keys).RevokedAt);
        var ownStats = await ops.GetTenantStatsAsync("own-tenant");
        Assert.Equal((0, EvalFixture.Turns, 1), (ownStats.Users, ownStats.MessagesIngested, ownStats.UsersDeleted));
    }

    [Fact]
    public async Task Server_engine_refuses_baselines_variants_and_missing_keys_before_touching_a_server()
    {
        using var fixture = new TempDirectory("helamem-eval-usage");
        EvalFixture.Write(fixture.Path);

        // Nothing listens on this port: a usage error must come before any connection.
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = $"http://127.0.0.1:{ProcessRunner.FreePort()}", ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        (string[] Arguments, string Message, Dictionary<string, string> Environment)[] cases =
        [
            (["--method", "bm25"], "--engine server runs only --method hela", environment),
            (["--variant", "stem-keywords"], "cannot apply --variant stem-keywords", environment),
            (["--variant", "helamem,entity-edges"], "cannot apply --variant helamem,entity-edges", environment),
            (["--ablation", "no-hebbian"], "cannot run --ablation no-hebbian", environment),
            ([], "--engine server needs an operator key", new Dictionary<string, string>()),
            (["--url", "ftp://x"], "is not an absolute http:// or https:// address", environment),
        ];
        foreach (var (arguments, message, env) in cases)
        {
            var (code, text) = await ProcessRunner.RunCliAsync(env, ["eval", "locomo", "--data", fixture.Path, "--engine", "server", "--output", Path.Combine(fixture.Path, "out"), .. arguments]);
            Assert.True(code == 2, text);
            Assert.Contains(message, text, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(fixture.Path, "out", "summary.json")));
        }
    }

    private static async Task<JsonElement> SummaryAsync(string directory)
    {
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "summary.json")));
        return Assert.Single(summary.RootElement.EnumerateArray().ToList()).Clone();
    }
}
