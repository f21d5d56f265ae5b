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

    [Fact]
    public async Task An_azure_api_version_the_resource_does_not_accept_is_a_rejected_request_not_retried()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => options.ApiVersion = "2024-06-01");

        var refused = await Assert.ThrowsAsync<LlmRequestRejectedException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Equal(400, refused.Status);
        Assert.Equal("2024-06-01", Assert.Single(bed.Server.Requests).ApiVersion);
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
