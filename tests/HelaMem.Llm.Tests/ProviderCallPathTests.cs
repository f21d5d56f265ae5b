using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm.Tests;

/// <summary>The real SDK call path, end to end, for both providers: routes, headers, api-version, parsing.</summary>
public sealed class ProviderCallPathTests
{
    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task Chat_reaches_the_providers_route_and_returns_its_answer(string provider)
    {
        await using var bed = await LlmTestbed.StartAsync(provider);

        var response = await bed.Chat.GetResponseAsync([new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "where is Rex")]);

        Assert.Equal("echo: where is Rex", response.Text);
        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal((ProtocolOf(provider), "chat", 200), (request.Protocol, request.Operation, request.Status));
        Assert.Equal(bed.Options.ChatModel, request.Model);
        Assert.Equal(provider == LlmOptions.AzureOpenAI ? LlmTestbed.ApiVersion : null, request.ApiVersion);
        Assert.Equal(5, response.Usage?.InputTokenCount);
        Assert.Equal(4, response.Usage?.OutputTokenCount);
    }

    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task Embeddings_reach_the_providers_route_and_decode_every_vector(string provider)
    {
        await using var bed = await LlmTestbed.StartAsync(provider);
        string[] texts = ["I adopted a dog named Rex", "Rex loves the beach"];

        var embeddings = await bed.Embeddings.GenerateAsync(texts);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(FakeLlmServer.VectorOf(texts[0]), embeddings[0].Vector.ToArray());
        Assert.Equal(FakeLlmServer.VectorOf(texts[1]), embeddings[1].Vector.ToArray());
        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal((ProtocolOf(provider), "embeddings", 200), (request.Protocol, request.Operation, request.Status));
        Assert.Equal(bed.Options.EmbeddingModel, request.Model);
        Assert.Equal(10, embeddings.Usage?.InputTokenCount);
    }

    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task Chat_options_consolidation_will_use_reach_the_wire(string provider)
    {
        // Extraction asks for JSON with a token cap and a low temperature; Azure's SDK rewrites the token cap
        // (max_tokens / max_completion_tokens), the step most bound to the OpenAI package's internals.
        await using var bed = await LlmTestbed.StartAsync(provider);
        var options = new ChatOptions { MaxOutputTokens = 64, Temperature = 0.1f, ResponseFormat = ChatResponseFormat.Json };

        var response = await bed.Chat.GetResponseAsync("list the facts", options);

        Assert.Equal("echo: list the facts", response.Text);
        var body = Assert.Single(bed.Server.Requests).Body;
        Assert.Equal(64, (body["max_completion_tokens"] ?? body["max_tokens"])?.GetValue<int>());
        Assert.Equal("json_object", body["response_format"]?["type"]?.GetValue<string>());
    }

    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task A_streamed_chat_answer_arrives_in_pieces_and_its_usage_is_reported(string provider)
    {
        await using var bed = await LlmTestbed.StartAsync(provider);

        var updates = new List<ChatResponseUpdate>();
        using (LlmTenant.Enter("acme"))
        {
            await foreach (var update in bed.Chat.GetStreamingResponseAsync("where is Rex"))
            {
                updates.Add(update);
            }
        }

        Assert.Equal("echo: where is Rex", updates.ToChatResponse().Text);
        Assert.True(updates.Count(u => u.Text.Length > 0) >= 4, "the answer arrives word by word");
        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal(ProtocolOf(provider), request.Protocol);
        var usage = Assert.Single(bed.Usage.Usages);
        Assert.Equal(("acme", "chat", 3L, 4L), (usage.Tenant, usage.Operation, usage.InputTokens, usage.OutputTokens));
    }

    [Fact]
    public async Task An_azure_api_version_the_resource_does_not_accept_is_a_rejected_request_not_retried()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => options.ApiVersion = "2024-06-01");

        var refused = await Assert.ThrowsAsync<LlmRequestRejectedException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Equal(400, refused.Status);
        Assert.Equal("2024-06-01", Assert.Single(bed.Server.Requests).ApiVersion);
    }

    [Fact]
    public async Task Without_an_api_version_azure_requests_carry_the_sdks_default_on_the_deployments_route()
    {
        // docs/llm.md names this default; the fake resource accepts only 2024-10-21, so the call is refused (400).
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => options.ApiVersion = null);

        await Assert.ThrowsAsync<LlmRequestRejectedException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Empty(bed.Server.Unmatched);
        Assert.Equal("2025-04-01-preview", Assert.Single(bed.Server.Requests).ApiVersion);
    }

    [Fact]
    public async Task An_unknown_azure_deployment_is_a_404_naming_the_settings_to_check()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => options.ChatModel = "no-such-deployment");

        var refused = await Assert.ThrowsAsync<LlmRequestRejectedException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Equal(404, refused.Status);
        Assert.Contains("no-such-deployment", refused.Message, StringComparison.Ordinal);
        Assert.Single(bed.Server.Requests);
    }

    private static string ProtocolOf(string provider) => provider == LlmOptions.AzureOpenAI ? "azure" : "openai";
}
