using System.Text.Json;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary><c>helamem tenants quotas</c> against the silo process: only the options given change.</summary>
public sealed class TenantQuotasCliEndToEndTests
{
    private const string OperatorKey = "quotas-operator-key-0123456789";

    [Fact]
    public async Task Quotas_command_changes_only_the_options_given_and_reports_errors_in_one_line()
    {
        using var data = new TempDirectory("helamem-quotas-e2e");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey);
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (createCode, createOutput) = await ProcessRunner.RunCliAsync(environment, "tenants", "create", "acme", "--max-users", "5", "--max-messages-per-ingest", "50");
        Assert.True(createCode == 0, createOutput);

        var (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--top-k", "7", "--json");
        Assert.True(code == 0, output);
        using (var tenant = JsonDocument.Parse(output))
        {
            var root = tenant.RootElement;
            Assert.Equal(5, root.GetProperty("quotas").GetProperty("maxUsers").GetInt32());
            Assert.Equal(50, root.GetProperty("quotas").GetProperty("maxMessagesPerIngest").GetInt32());
            Assert.Equal(7, root.GetProperty("retrieval").GetProperty("topK").GetInt32());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("retrieval").GetProperty("maxFlipped").ValueKind);
        }

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--unlimited-users", "--max-flipped", "0", "--json");
        Assert.True(code == 0, output);
        using (var tenant = JsonDocument.Parse(output))
        {
            var root = tenant.RootElement;
            Assert.Equal(JsonValueKind.Null, root.GetProperty("quotas").GetProperty("maxUsers").ValueKind);
            Assert.Equal(50, root.GetProperty("quotas").GetProperty("maxMessagesPerIngest").GetInt32());
            Assert.Equal(7, root.GetProperty("retrieval").GetProperty("topK").GetInt32());
            Assert.Equal(0, root.GetProperty("retrieval").GetProperty("maxFlipped").GetInt32());
        }

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--max-message-length", "0");
        Assert.Equal(1, code);
        var error = Assert.Single(output.Trim().Split('\n'));
        Assert.Contains("quotas.maxMessageLength", error, StringComparison.Ordinal);

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "nobody", "--max-users", "2");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", Assert.Single(output.Trim().Split('\n')), StringComparison.Ordinal);
    }
}
