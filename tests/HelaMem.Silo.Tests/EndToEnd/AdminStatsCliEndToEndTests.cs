using System.Text.Json;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary><c>helamem admin stats</c> against the silo process: the cluster's view as tables and as JSON, operator key only.</summary>
public sealed class AdminStatsCliEndToEndTests
{
    private const string OperatorKey = "admin-stats-operator-key-0123456789";

    [Fact]
    public async Task Admin_stats_prints_the_silo_and_the_tenants_activity()
    {
        using var data = new TempDirectory("helamem-admin-stats-e2e");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey);
        using var ops = new HelaMemClient(new HelaMemClientOptions { BaseAddress = silo.Url, OperatorKey = OperatorKey });
        var issued = await ops.CreateTenantAsync(new CreateTenantRequest("acme"));
        using var api = new HelaMemClient(new HelaMemClientOptions { BaseAddress = silo.Url, ApiKey = issued.ApiKey });
        await api.IngestAsync("alice", Samples.Conversation());
        await api.SearchAsync("alice", new SearchRequest("Rex"));
        await api.SearchAsync("alice", new SearchRequest("Lisbon"));

        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (code, output) = await ProcessRunner.RunCliAsync(environment, "admin", "stats", "--json");
        Assert.True(code == 0, output);
        using (var stats = JsonDocument.Parse(output))
        {
            var acme = stats.RootElement.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("tenant").GetString() == "acme");
            Assert.Equal(1, acme.GetProperty("owners").GetInt64());
            Assert.Equal(1, acme.GetProperty("ingests").GetInt64());
            Assert.Equal(2, acme.GetProperty("searches").GetInt64());
            Assert.Equal("Active", stats.RootElement.GetProperty("silos")[0].GetProperty("status").GetString());
        }

        (code, output) = await ProcessRunner.RunCliAsync(environment, "admin", "stats");
        Assert.True(code == 0, output);
        Assert.Contains("silo-0", output, StringComparison.Ordinal);
        Assert.Contains("acme", output, StringComparison.Ordinal);
        Assert.Contains("Storage commits:", output, StringComparison.Ordinal);
        Assert.Contains("No LLM provider configured", output, StringComparison.Ordinal);

        // A tenant key is not the operator key: one error line, exit 1.
        var tenantOnly = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = issued.ApiKey };
        (code, output) = await ProcessRunner.RunCliAsync(tenantOnly, "admin", "stats");
        Assert.Equal(1, code);
        Assert.Contains("operator key", Assert.Single(output.Trim().Split('\n')), StringComparison.Ordinal);
    }
}
