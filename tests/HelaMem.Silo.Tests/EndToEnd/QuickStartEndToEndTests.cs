using System.Text.Json;
using HelaMem.Cli.Locomo;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// The quick start as a user runs it: the silo process on a loopback port, the CLI process creating a tenant,
/// ingesting LoCoMo conv-26 and searching it; then the silo is killed, started again over the same data directory,
/// and the same memories are found.
/// </summary>
public sealed class QuickStartEndToEndTests
{
    private const string OperatorKey = "e2e-operator-key-0123456789";
    private const string Query = "When did Caroline go to the LGBTQ support group?";

    [Fact]
    public async Task Create_tenant_ingest_locomo_search_kill_restart_and_find_the_same_memories()
    {
        using var data = new TempDirectory("helamem-e2e");
        var conversationFile = RepositoryPaths.LocomoConversation("26");
        var turns = LocomoReader.Read(conversationFile).Turns;

        List<(long Id, string Content, string DiaId)> before;
        string apiKey;
        await using (var silo = await SiloProcess.StartAsync(data.Path, OperatorKey))
        {
            Assert.Contains("HelaMem silo (Microsoft Orleans 10.4.", silo.Output, StringComparison.Ordinal);
            Assert.Contains($") listening on {silo.Url.ToString().TrimEnd('/')}", silo.Output, StringComparison.Ordinal);
            Assert.Contains($"orleans silo:   S127.0.0.1:{silo.SiloPort}:", silo.Output, StringComparison.Ordinal);
            var operatorEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
            var (createCode, createOutput) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "create", "e2e-tenant");
            Assert.True(createCode == 0, createOutput);
            apiKey = createOutput.TrimEnd().Split('\n')[^1].Trim();
            Assert.StartsWith("hm.e2e-tenant.", apiKey, StringComparison.Ordinal);

            var tenantEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_API_KEY"] = apiKey };
            var (ingestCode, ingestOutput) = await ProcessRunner.RunCliAsync(tenantEnv, "ingest", "locomo", conversationFile, "--user", "caroline");
            Assert.True(ingestCode == 0, ingestOutput);
            Assert.Contains($"Ingested {turns.Count} messages", ingestOutput, StringComparison.Ordinal);

            // Piped output shows the progress as lines, one per batch, rising to the total (not a bar frozen at 0%).
            var progress = System.Text.RegularExpressions.Regex.Matches(ingestOutput, @"^ingesting into caroline: (\d+)/(\d+) messages$", System.Text.RegularExpressions.RegexOptions.Multiline)
                .Select(m => (Done: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Total: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
                .ToList();
            Assert.True(progress.Count >= 2, ingestOutput);
            Assert.All(progress, line => Assert.Equal(turns.Count, line.Total));
            Assert.Equal(progress.Select(p => p.Done).Order(), progress.Select(p => p.Done));
            Assert.Equal(progress.Count, progress.Select(p => p.Done).Distinct().Count());
            Assert.Equal(turns.Count, progress[^1].Done);
            Assert.DoesNotContain("0%", ingestOutput, StringComparison.Ordinal);

            before = await SearchAsync(tenantEnv);
            Assert.Contains(before, item => item.DiaId == "D1:3");
            Assert.All(before, item => Assert.Equal(turns.Single(t => t.DiaId == item.DiaId).NodeText, item.Content));

            var (badCode, badOutput) = await ProcessRunner.RunCliAsync(
                new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_API_KEY"] = apiKey + "0" }, "search", Query, "--user", "caroline");
            Assert.NotEqual(0, badCode);
            Assert.Single(badOutput.Trim().Split('\n'));
            Assert.StartsWith("error:", badOutput.Trim(), StringComparison.Ordinal);

            await silo.KillAsync();
        }

        await using (var restarted = await SiloProcess.StartAsync(data.Path, OperatorKey))
        {
            var tenantEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = restarted.Url.ToString(), ["HELAMEM_API_KEY"] = apiKey };
            var after = await SearchAsync(tenantEnv);

            // The base pathway depends only on the stored memories (not on learned weights): it must be the same set. (Items
            // are shown by their score after spreading, which the first search's learning changed: compare by id.)
            Assert.Equal(before.OrderBy(i => i.Id), after.OrderBy(i => i.Id));

            var (statsCode, statsOutput) = await ProcessRunner.RunCliAsync(tenantEnv, "stats", "--user", "caroline", "--json");
            Assert.True(statsCode == 0, statsOutput);
            using var stats = JsonDocument.Parse(statsOutput);
            Assert.Equal(turns.Count, stats.RootElement.GetProperty("nodes").GetInt64());
        }
    }

    private static async Task<List<(long Id, string Content, string DiaId)>> SearchAsync(Dictionary<string, string> environment)
    {
        var (code, output) = await ProcessRunner.RunCliAsync(environment, "search", Query, "--user", "caroline", "--json");
        Assert.True(code == 0, output);
        using var result = JsonDocument.Parse(output);
        var items = result.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        return [.. items
            .Where(item => item.GetProperty("pathway").GetString() == "base")
            .Select(item => (
                item.GetProperty("id").GetInt64(),
                item.GetProperty("content").GetString()!,
                item.GetProperty("metadata").GetProperty("dia_id").GetString()!))];
    }
}
