using System.Net;
using System.Net.Sockets;
using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelaMem.Llm.Tests;

/// <summary>A provider that cannot be reached, and Azure without a key and without an identity.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task A_refused_connection_is_retried_then_unavailable()
    {
        var options = new LlmOptions
        {
            Provider = LlmOptions.OpenAI, Endpoint = $"http://127.0.0.1:{ClosedPort()}/v1", ChatModel = "m", EmbeddingModel = "e",
            MaxRetries = 1, TimeoutSeconds = 5,
        };
        var factory = new LlmClientFactory(options, new RecordingUsageSink(), UnlimitedTokenQuota.Instance, NullLoggerFactory.Instance);
        using var chat = factory.CreateChatClient();

        var failure = await Assert.ThrowsAsync<LlmUnavailableException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal("The LLM provider (openai) failed chat on m: network error after 2 attempt(s).", failure.Message);
    }

    [Fact]
    public async Task Azure_without_a_key_signs_in_with_Entra_ID_and_a_host_without_an_identity_gets_a_clear_refusal()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI);
        var options = new LlmOptions
        {
            Provider = LlmOptions.AzureOpenAI, Endpoint = bed.Server.BaseAddress, ChatModel = LlmTestbed.ChatDeployment,
            EmbeddingModel = LlmTestbed.EmbeddingDeployment, ApiVersion = LlmTestbed.ApiVersion, MaxRetries = 0,
        };

        // Only the environment credential (Azure.Identity's AZURE_TOKEN_CREDENTIALS): this machine has no Azure identity,
        // and the managed-identity probe of the full chain would wait for a metadata endpoint that is not there.
        var previous = Environment.GetEnvironmentVariable("AZURE_TOKEN_CREDENTIALS");
        Environment.SetEnvironmentVariable("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential");
        try
        {
            using var http = bed.Server.CreateTrustingClient();
            var factory = new LlmClientFactory(options, new RecordingUsageSink(), UnlimitedTokenQuota.Instance, NullLoggerFactory.Instance, TimeProvider.System, http);
            using var chat = factory.CreateChatClient();

            var refused = await Assert.ThrowsAsync<LlmRequestRejectedException>(() => chat.GetResponseAsync("hello"));

            Assert.Contains("could not be signed in to with Entra ID", refused.Message, StringComparison.Ordinal);
            Assert.Empty(bed.Server.Requests);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AZURE_TOKEN_CREDENTIALS", previous);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
