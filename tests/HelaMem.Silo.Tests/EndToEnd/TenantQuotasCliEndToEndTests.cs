using System.Text.Json;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary><c>helamem tenants quotas</c> (and the profile options of <c>tenants create</c>, the LLM override options) against the silo process: only the options given change.</summary>
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

    [Fact]
    public async Task Profile_is_set_at_creation_changed_by_quotas_and_shown_in_the_listing()
    {
        using var data = new TempDirectory("helamem-profile-e2e");

        // The silo-wide default from the environment (the contract operators script): paper instead of helamem.
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey, new Dictionary<string, string> { ["HelaMem__Retrieval__Profile"] = "paper" });
        Assert.Contains("retrieval:      profile paper for tenants without their own", silo.Output, StringComparison.Ordinal);
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "create", "acme", "--profile", "helamem");
        Assert.True(code == 0, output);
        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "create", "plain");
        Assert.True(code == 0, output);

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "list", "--json");
        Assert.True(code == 0, output);
        using (var list = JsonDocument.Parse(output))
        {
            var tenants = list.RootElement.GetProperty("tenants").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
            Assert.Equal("helamem", tenants["acme"].GetProperty("retrieval").GetProperty("profile").GetString());
            Assert.Equal(JsonValueKind.Null, tenants["plain"].GetProperty("retrieval").GetProperty("profile").ValueKind);
            Assert.Equal("paper", tenants["plain"].GetProperty("newUserProfile").GetString());
        }

        // The table names each tenant's profile, or the silo default it falls back to.
        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "list");
        Assert.True(code == 0, output);
        Assert.Contains("default (paper)", output, StringComparison.Ordinal);

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--max-users", "4");
        Assert.True(code == 0, output);
        Assert.Contains("profile helamem", output, StringComparison.Ordinal);
        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--profile", "paper", "--json");
        Assert.True(code == 0, output);
        using (var tenant = JsonDocument.Parse(output))
        {
            Assert.Equal("paper", tenant.RootElement.GetProperty("retrieval").GetProperty("profile").GetString());
            Assert.Equal(4, tenant.RootElement.GetProperty("quotas").GetProperty("maxUsers").GetInt32());
        }

        // An unknown profile is a usage error before anything is sent.
        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--profile", "fast");
        Assert.Equal(2, code);
        Assert.Contains("fast", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Llm_options_set_change_and_drop_a_tenants_override_and_a_refusal_names_the_field()
    {
        using var data = new TempDirectory("helamem-llm-e2e");

        // A silo with a provider (never called here: the override is only stored and validated) and one endpoint
        // listed for tenants. Nothing listens at either address.
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey, new Dictionary<string, string>
        {
            ["HelaMem__Llm__Provider"] = "openai",
            ["HelaMem__Llm__Endpoint"] = "http://127.0.0.1:9/v1",
            ["HelaMem__Llm__ApiKey"] = "sk-e2e-0123456789SECRET",
            ["HelaMem__Llm__ChatModel"] = "silo-chat",
            ["HelaMem__Llm__EmbeddingModel"] = "silo-embed",
            ["HelaMem__Llm__TenantEndpoints__0"] = "http://127.0.0.1:8/v1",
        });
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "create", "acme");
        Assert.True(code == 0, output);

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--llm-endpoint", "http://127.0.0.1:8/v1", "--llm-chat-model", "tenant-chat", "--json");
        Assert.True(code == 0, output);
        using (var tenant = JsonDocument.Parse(output))
        {
            var llm = tenant.RootElement.GetProperty("llm");
            Assert.Equal("http://127.0.0.1:8/v1", llm.GetProperty("endpoint").GetString());
            Assert.Equal("tenant-chat", llm.GetProperty("chatModel").GetString());
            Assert.Equal(JsonValueKind.Null, llm.GetProperty("embeddingModel").ValueKind);
        }

        // Another option keeps the override; the text output names it.
        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--llm-embedding-model", "tenant-embed");
        Assert.True(code == 0, output);
        // The console wraps the line at its width: compared with whitespace runs made single spaces.
        var text = string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("LLM override: endpoint http://127.0.0.1:8/v1, chat tenant-chat, embeddings tenant-embed", text, StringComparison.Ordinal);

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--llm-endpoint", "https://elsewhere.example.com/v1");
        Assert.Equal(1, code);
        Assert.Single(output.Split('\n'), line => line.StartsWith("error:", StringComparison.Ordinal));
        text = string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("llm.endpoint 'https://elsewhere.example.com/v1' is not one the operator allows", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", output, StringComparison.Ordinal);

        (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "quotas", "acme", "--default-llm", "--json");
        Assert.True(code == 0, output);
        using (var tenant = JsonDocument.Parse(output))
        {
            Assert.Equal(JsonValueKind.Null, tenant.RootElement.GetProperty("llm").ValueKind);
        }
    }
}
