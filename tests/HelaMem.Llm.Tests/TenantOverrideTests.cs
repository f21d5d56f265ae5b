using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelaMem.Llm.Tests;

/// <summary>
/// Per-tenant provider overrides: other deployments and an operator-listed endpoint for one tenant, the silo's settings
/// for the others, each endpoint with its own breaker; overrides the silo does not allow are refused naming the field.
/// </summary>
public sealed class TenantOverrideTests
{
    private const string Key = "sk-override-0123456789SECRET";
    private const string ApiVersion = "2024-10-21";

    private static LlmOptions Azure(string endpoint, params string[] tenantEndpoints) => new()
    {
        Provider = LlmOptions.AzureOpenAI,
        Endpoint = endpoint,
        ApiKey = Key,
        ChatModel = "chat",
        EmbeddingModel = "embed",
        ApiVersion = ApiVersion,
        TimeoutSeconds = 10,
        MaxRetries = 0,
        BreakAfterFailures = 1,
        BreakSeconds = 60,
        TenantEndpoints = tenantEndpoints,
    };

    [Fact]
    public async Task A_tenants_deployments_and_endpoint_are_used_for_that_tenant_only()
    {
        await using var silo = await FakeLlmServer.StartAsync(Key, ApiVersion, "chat", "embed", "tenant-a-chat");
        await using var other = await FakeLlmServer.StartAsync(Key, ApiVersion, "chat", "tenant-a-embed");
        using var http = FakeLlmServer.CreateTrustingClient([silo, other]);
        var factory = new LlmClientFactory(Azure(silo.BaseAddress, other.BaseAddress + "/"), new RecordingUsageSink(), UnlimitedTokenQuota.Instance, NullLoggerFactory.Instance, TimeProvider.System, http);

        using var tenantA = factory.CreateChatClient(new LlmOverride(ChatModel: "tenant-a-chat"));
        using var tenantB = factory.CreateChatClient();
        using var tenantAEmbeddings = factory.CreateEmbeddingGenerator(new LlmOverride(Endpoint: other.BaseAddress, EmbeddingModel: "tenant-a-embed"));
        await tenantA.GetResponseAsync("hello from A");
        await tenantB.GetResponseAsync("hello from B");
        await tenantAEmbeddings.GenerateAsync(["vector for A"]);

        Assert.Equal(["tenant-a-chat", "chat"], silo.Requests.Select(r => r.Model));
        var embedding = Assert.Single(other.Requests);
        Assert.Equal(("embeddings", "tenant-a-embed", 200), (embedding.Operation, embedding.Model, embedding.Status));
    }

    [Fact]
    public async Task A_tenants_failing_endpoint_opens_its_own_breaker_not_the_silos()
    {
        await using var silo = await FakeLlmServer.StartAsync(Key, ApiVersion, "chat", "embed");
        await using var other = await FakeLlmServer.StartAsync(Key, ApiVersion, "chat");
        using var http = FakeLlmServer.CreateTrustingClient([silo, other]);
        var factory = new LlmClientFactory(Azure(silo.BaseAddress, other.BaseAddress), new RecordingUsageSink(), UnlimitedTokenQuota.Instance, NullLoggerFactory.Instance, TimeProvider.System, http);
        other.Script(FakeReply.ServerError);
        using var tenantA = factory.CreateChatClient(new LlmOverride(Endpoint: other.BaseAddress));
        using var tenantB = factory.CreateChatClient();

        await Assert.ThrowsAsync<LlmUnavailableException>(() => tenantA.GetResponseAsync("fails"));
        var open = await Assert.ThrowsAsync<LlmUnavailableException>(() => tenantA.GetResponseAsync("refused at once"));
        var answer = await tenantB.GetResponseAsync("still served");

        Assert.Contains("circuit breaker is open", open.Message, StringComparison.Ordinal);
        Assert.Single(other.Requests);
        Assert.Equal("echo: still served", answer.Text);
    }

    [Theory]
    [InlineData("endpoint 'https://attacker.example.com' is not one the operator allows for tenants", "https://attacker.example.com", null, null)]
    [InlineData("endpoint 'https://127.0.0.1:1/extra' is not one the operator allows", "https://127.0.0.1:1/extra", null, null)]
    [InlineData("chatModel 'chat/../x' must be an Azure deployment name", null, "chat/../x", null)]
    [InlineData("apiVersion '2023-05-15' must be one of", null, null, "2023-05-15")]
    public void An_override_the_silo_does_not_allow_is_refused_naming_the_field_and_never_the_key(string error, string? endpoint, string? chatModel, string? apiVersion)
    {
        var silo = Azure("https://127.0.0.1:1");
        var factory = new LlmClientFactory(silo, new RecordingUsageSink(), UnlimitedTokenQuota.Instance, NullLoggerFactory.Instance);
        var bad = new LlmOverride(endpoint, chatModel, null, apiVersion);

        Assert.StartsWith(error, Assert.Single(bad.Validate(silo)), StringComparison.Ordinal);
        var thrown = Assert.Throws<ArgumentException>(() => factory.CreateChatClient(bad));
        Assert.Contains(error, thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", thrown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_silos_own_endpoint_and_listed_ones_are_allowed_compared_as_addresses()
    {
        var silo = Azure("https://r.openai.azure.com", "https://other.openai.azure.com/");

        Assert.Empty(new LlmOverride(Endpoint: "https://R.openai.azure.com/").Validate(silo));
        Assert.Empty(new LlmOverride(Endpoint: "https://other.openai.azure.com").Validate(silo));
        Assert.NotEmpty(new LlmOverride(Endpoint: "https://other.openai.azure.com.evil.example").Validate(silo));
        Assert.NotEmpty(new LlmOverride(Endpoint: "http://other.openai.azure.com").Validate(silo));
        Assert.Empty(new LlmOverride(ChatModel: "Qwen/Qwen2.5-7B-Instruct").Validate(new LlmOptions { Provider = LlmOptions.OpenAI, Endpoint = "http://gpu:8000/v1", ChatModel = "m", EmbeddingModel = "e" }));
        Assert.StartsWith("no LLM provider is configured", Assert.Single(new LlmOverride(ChatModel: "x").Validate(new LlmOptions())), StringComparison.Ordinal);
        Assert.Empty(new LlmOverride().Validate(new LlmOptions()));
    }

    [Fact]
    public void A_tenant_endpoint_the_operator_lists_must_be_an_address()
    {
        var silo = Azure("https://r.openai.azure.com", "other.openai.azure.com");

        Assert.Equal("HelaMem:Llm:TenantEndpoints has 'other.openai.azure.com', which is not an https URL.", Assert.Single(silo.Validate()));
    }
}
