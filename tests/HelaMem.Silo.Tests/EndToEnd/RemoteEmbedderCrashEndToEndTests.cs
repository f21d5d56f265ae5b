using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Llm.Tests.Fakes;
using HelaMem.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// Remote embeddings with a real crash: a silo process that embeds through the (fake) OpenAI provider acknowledges
/// ingests, is killed (SIGKILL) while one is in flight, and the silo started again on the same data directory has every
/// acknowledged message, searchable through the provider. The provider key never appears in what the silo printed.
/// </summary>
public sealed class RemoteEmbedderCrashEndToEndTests(ITestOutputHelper output)
{
    private const string OperatorKey = "remote-crash-operator-key-0123";
    private const string ProviderKey = "sk-remote-crash-0123456789SECRET";
    private const int BatchesBeforeKill = 12;

    [Fact]
    public async Task Every_acknowledged_message_embedded_remotely_survives_a_kill_and_is_searchable_after_the_restart()
    {
        await using var provider = await FakeLlmServer.StartPlainHttpAsync(ProviderKey);
        using var data = new TempDirectory("helamem-remote-crash");
        var environment = new Dictionary<string, string>
        {
            ["HelaMem__Embedder"] = "remote",
            ["HelaMem__Llm__Provider"] = "openai",
            ["HelaMem__Llm__Endpoint"] = provider.OpenAIEndpoint,
            ["HelaMem__Llm__ApiKey"] = ProviderKey,
            ["HelaMem__Llm__ChatModel"] = "crash-chat",
            ["HelaMem__Llm__EmbeddingModel"] = "crash-embed",
            ["HelaMem__Llm__EmbeddingDimensions"] = "48",
            ["HelaMem__Llm__MaxRetries"] = "0",
        };
        var acknowledged = new List<string>();
        string apiKey;
        string printed;

        await using (var silo = await SiloProcess.StartAsync(data.Path, OperatorKey, environment))
        {
            using var ops = Client(silo.Url, operatorKey: OperatorKey);
            apiKey = (await ops.CreateTenantAsync(new CreateTenantRequest("remote-crash"))).ApiKey;
            using var client = Client(silo.Url, apiKey: apiKey);

            // A failure first: refused with nothing stored, and logged by the silo (which must not print the key).
            provider.Script(FakeReply.ServerError);
            var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync("ola", new IngestRequest([new MessageInput("never stored", "Ola")])));
            Assert.Equal("embedding-unavailable", refused.ProblemType);
            Task? inFlight = null;
            for (var batch = 0; ; batch++)
            {
                var messages = Enumerable.Range(0, 2).Select(i => new MessageInput($"batch{batch} item{i}: notes about the harbour and kite{batch}x{i}", "Ola")).ToList();
                var ingest = client.IngestAsync("ola", new IngestRequest(messages));
                if (batch == BatchesBeforeKill)
                {
                    // Killed with this one in flight: its outcome is unknown, so it is not counted.
                    inFlight = ingest;
                    break;
                }

                await ingest;
                acknowledged.AddRange(messages.Select(m => m.Content!));
            }

            await silo.KillAsync();
            try
            {
                await inFlight!;
            }
            catch (HelaMemApiException)
            {
                // Cut off by the kill, as expected most of the time; a success that beat the kill is not counted either.
            }

            printed = silo.Output;
        }

        Assert.True(provider.Requests.Count(r => r.Operation == "embeddings" && r.Model == "crash-embed") >= BatchesBeforeKill);
        await using var restarted = await SiloProcess.StartAsync(data.Path, OperatorKey, environment);
        using var again = Client(restarted.Url, apiKey: apiKey);
        var stored = (await again.ListMemoriesAsync("ola", limit: 100)).Items.Select(m => m.Content).ToList();
        Assert.All(acknowledged, message => Assert.Contains(message, stored));
        Assert.DoesNotContain("never stored", stored);
        output.WriteLine($"{acknowledged.Count} messages acknowledged before the kill, {stored.Count} stored after the restart");

        // Searchable through the provider: a word only one acknowledged message has finds it.
        var last = acknowledged[^1];
        var word = last.Split(' ')[^1];
        SearchResult found;
        try
        {
            found = await again.SearchAsync("ola", new SearchRequest(word, 1));
        }
        catch (HelaMemApiException)
        {
            // What the restarted silo said about it is the only trace of a server-side failure.
            output.WriteLine(restarted.Output);
            throw;
        }

        Assert.False(found.Degraded);
        Assert.Equal(last, Assert.Single(found.Items).Content);
        Assert.Contains("HTTP 500", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderKey, printed + restarted.Output, StringComparison.Ordinal);
    }

    private static HelaMemClient Client(Uri url, string? apiKey = null, string? operatorKey = null) =>
        new(new HelaMemClientOptions { BaseAddress = url, ApiKey = apiKey, OperatorKey = operatorKey, MaxRetries = 0 });
}
