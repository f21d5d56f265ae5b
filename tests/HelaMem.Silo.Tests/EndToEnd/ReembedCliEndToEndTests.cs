using System.Text.Json;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// <c>helamem reembed</c> against silo processes: memories stored by a silo on the hashing embedder, the silo restarted
/// on MiniLM over the same data directory, a search refused, then <c>reembed --user</c> and <c>reembed --all</c>.
/// </summary>
public sealed class ReembedCliEndToEndTests
{
    private const string OperatorKey = "reembed-operator-key-0123456789";

    [Fact]
    public async Task After_a_change_of_embedder_the_cli_reembeds_one_user_then_the_whole_tenant()
    {
        using var data = new TempDirectory("helamem-reembed-e2e");
        var messages = Path.Combine(data.Path, "messages.json");
        await File.WriteAllTextAsync(messages, """[{"content": "I am learning to play the violin on weekends"}, {"content": "My sister lives in Lisbon"}]""");
        string apiKey;
        await using (var hashing = await SiloProcess.StartAsync(data.Path, OperatorKey, new Dictionary<string, string> { ["HelaMem__Embedder"] = "hashing" }))
        {
            var operatorEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = hashing.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
            var (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "create", "acme");
            Assert.True(code == 0, output);
            apiKey = output.Trim().Split('\n')[^1].Trim();
            var tenantEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = hashing.Url.ToString(), ["HELAMEM_API_KEY"] = apiKey };
            foreach (var owner in new[] { "--user", "--agent" })
            {
                (code, output) = await ProcessRunner.RunCliAsync(tenantEnv, "ingest", "file", messages, owner, "alice");
                Assert.True(code == 0, output);
            }
        }

        await using var miniLm = await SiloProcess.StartAsync(data.Path, OperatorKey, new Dictionary<string, string> { ["HelaMem__Embedder"] = "minilm" });
        var env = new Dictionary<string, string>
        {
            ["HELAMEM_URL"] = miniLm.Url.ToString(), ["HELAMEM_API_KEY"] = apiKey, ["HELAMEM_OPERATOR_KEY"] = OperatorKey,
        };
        var (searchCode, searchOutput) = await ProcessRunner.RunCliAsync(env, "search", "violin", "--user", "alice");
        Assert.Equal(1, searchCode);
        Assert.Contains("helamem reembed", searchOutput, StringComparison.Ordinal);

        var (userCode, userOutput) = await ProcessRunner.RunCliAsync(env, "reembed", "--user", "alice");
        Assert.True(userCode == 0, userOutput);
        Assert.Contains("user alice: 2 memories and 0 semantic items re-embedded from hashing-100d to minilm-l6-v2-384d (384-d).", userOutput, StringComparison.Ordinal);

        // --all: the agent still needs it, the user is already done.
        var (allCode, allOutput) = await ProcessRunner.RunCliAsync(env, "reembed", "--all", "--tenant", "acme", "--json");
        Assert.True(allCode == 0, allOutput);
        using (var results = JsonDocument.Parse(allOutput))
        {
            var rows = results.RootElement.EnumerateArray()
                .Select(r => $"{r.GetProperty("scope").GetString()}:{r.GetProperty("user").GetString()}:{r.GetProperty("changed").GetBoolean()}:{r.GetProperty("memoriesReembedded").GetInt64()}")
                .ToList();
            Assert.Equal(["user:alice:False:0", "agent:alice:True:2"], rows);
        }

        (searchCode, searchOutput) = await ProcessRunner.RunCliAsync(env, "search", "Which instrument is being practised?", "--agent", "alice", "--top-k", "1", "--json");
        Assert.True(searchCode == 0, searchOutput);
        using var found = JsonDocument.Parse(searchOutput);
        Assert.Contains("violin", found.RootElement.GetProperty("items")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
    }
}
