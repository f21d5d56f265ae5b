using System.Text.Json;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// The CLI against the silo process: <c>--agent</c> and <c>--run</c> beside <c>--user</c> on the memory commands,
/// <c>helamem tenants users</c> (every owner, across pages) and <c>helamem tenants delete --yes</c> (the receipt; the
/// tenant and its key gone).
/// </summary>
public sealed class TenantOwnersCliEndToEndTests
{
    private const string OperatorKey = "owners-operator-key-0123456789";

    [Fact]
    public async Task Agents_and_runs_from_the_cli_then_the_tenants_owners_listed_and_the_tenant_deleted()
    {
        using var data = new TempDirectory("helamem-owners-e2e");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey);
        var operatorEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "create", "acme");
        Assert.True(code == 0, output);
        var apiKey = output.Trim().Split('\n')[^1].Trim();
        var tenantEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_API_KEY"] = apiKey };

        var messages = Path.Combine(data.Path, "messages.json");
        await File.WriteAllTextAsync(messages, """[{"content": "The travel agent books trains, never planes"}, {"content": "It answers in French"}]""");
        foreach (var owner in new[] { "--user", "--agent", "--run" })
        {
            (code, output) = await ProcessRunner.RunCliAsync(tenantEnv, "ingest", "file", messages, owner, "travel");
            Assert.True(code == 0, output);
            Assert.Contains($"Ingested 2 messages for {owner[2..]} travel", output, StringComparison.Ordinal);
        }

        (code, output) = await ProcessRunner.RunCliAsync(tenantEnv, "search", "trains or planes", "--agent", "travel", "--json");
        Assert.True(code == 0, output);
        using (var result = JsonDocument.Parse(output))
        {
            Assert.Equal("agent", result.RootElement.GetProperty("scope").GetString());
            Assert.Contains("trains", result.RootElement.GetProperty("items")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        }

        (code, output) = await ProcessRunner.RunCliAsync(tenantEnv, "delete", "--run", "travel");
        Assert.True(code == 0, output);
        Assert.Contains("Run travel deleted", output, StringComparison.Ordinal);
        (code, output) = await ProcessRunner.RunCliAsync(tenantEnv, "ingest", "file", messages, "--run", "r2");
        Assert.True(code == 0, output);

        (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "users", "acme", "--json");
        Assert.True(code == 0, output);
        using (var page = JsonDocument.Parse(output))
        {
            var items = page.RootElement.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("scope").GetString()}:{i.GetProperty("id").GetString()}");
            Assert.Equal(["user:travel", "agent:travel", "run:r2"], items);
            Assert.True(page.RootElement.GetProperty("complete").GetBoolean());
        }

        (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "users", "acme");
        Assert.True(code == 0, output);
        Assert.Contains("3 owners: 1 users, 1 agents, 1 runs.", output, StringComparison.Ordinal);

        // Without --yes nothing is sent; with it, the receipt.
        (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "delete", "acme");
        Assert.Equal(2, code);
        Assert.Contains("add --yes to confirm", output, StringComparison.Ordinal);
        (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "delete", "acme", "--yes", "--json");
        Assert.True(code == 0, output);
        using (var receipt = JsonDocument.Parse(output))
        {
            var owners = receipt.RootElement.GetProperty("ownersDeleted");
            Assert.Equal((1, 1, 1), (owners.GetProperty("users").GetInt32(), owners.GetProperty("agents").GetInt32(), owners.GetProperty("runs").GetInt32()));
            Assert.Equal(6, receipt.RootElement.GetProperty("nodesDeleted").GetInt32());
            Assert.Equal(1, receipt.RootElement.GetProperty("keysRevoked").GetInt32());
        }

        // The tenant is gone: its key is refused, the operator finds nothing, one line each.
        (code, output) = await ProcessRunner.RunCliAsync(tenantEnv, "search", "trains", "--user", "travel");
        Assert.Equal(1, code);
        Assert.Contains("401", Assert.Single(output.Trim().Split('\n')), StringComparison.Ordinal);
        (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "users", "acme");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", Assert.Single(output.Trim().Split('\n')), StringComparison.Ordinal);
        (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "list", "--json");
        Assert.True(code == 0, output);
        Assert.DoesNotContain("acme", output, StringComparison.Ordinal);
    }
}
