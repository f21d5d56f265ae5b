using System.Text.Json.Nodes;
using HelaMem.Abstractions.Contracts;
using HelaMem.Core;
using HelaMem.Grains.Distillation;
using HelaMem.Llm;
using HelaMem.Llm.Tests.Fakes;
using HelaMem.Silo.Distillation;
using Microsoft.Extensions.Logging.Abstractions;
using ClusterMember = HelaMem.Grains.Distillation.ClusterMember;

namespace HelaMem.Silo.Tests.Distillation;

/// <summary>
/// The LLM distiller on the real OpenAI SDK call path against the in-process fake provider: the extraction prompt with
/// the existing profile, the answer read into slotted profile items, facts and agent knowledge, tokens charged to the
/// tenant; malformed answers and provider failures defer the cluster and store nothing.
/// </summary>
public sealed class LlmDistillerTests
{
    private const string Key = "sk-test-distiller-0123456789";

    private static readonly DateTimeOffset Said = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    private static readonly ClusterMember[] Cluster =
    [
        new(10, "Caroline: I went to a LGBTQ support group yesterday.", "Caroline", Said, [1f, 0f]),
        new(11, "Melanie: I'm swamped with the kids & work.", "Melanie", Said.AddMinutes(1), [0f, 1f]),
        new(12, "Caroline: Actually I'm engaged now!", "Caroline", Said.AddMinutes(2), [1f, 0f]),
    ];

    private static readonly SemanticItemData[] Existing =
    [
        new(SemanticItemKind.Profile, "Caroline is single", [3], "Caroline", "caroline|relationship status"),
    ];

    private const string GoodAnswer = """
        {"profile": [
           {"subject": "Caroline", "attribute": "Relationship  status", "text": "Caroline is engaged", "sources": [12]},
           {"subject": "Melanie", "attribute": "family", "text": "Melanie has kids", "sources": [11, 99]}],
         "facts": [{"subject": "Caroline", "text": "Caroline went to an LGBTQ support group on 2023-05-07", "date": "2023-05-07", "sources": [10]}],
         "agent_knowledge": []}
        """;

    private sealed class Bed : IAsyncDisposable
    {
        private readonly HttpClient _http;

        private Bed(FakeLlmServer server, int maxRetries)
        {
            Server = server;
            _http = server.CreateTrustingClient();
            var options = new LlmOptions
            {
                Provider = LlmOptions.OpenAI, Endpoint = server.OpenAIEndpoint, ApiKey = Key, ChatModel = "gpt-4o-mini",
                EmbeddingModel = "text-embedding-3-small", TimeoutSeconds = 10, MaxRetries = maxRetries,
            };
            var factory = new LlmClientFactory(options, Usage, new InMemoryTokenQuota(long.MaxValue), NullLoggerFactory.Instance, TimeProvider.System, _http);
            Distiller = new LlmDistiller(new SiloClients(factory), NullLogger<LlmDistiller>.Instance);
        }

        public FakeLlmServer Server { get; }

        public RecordingUsageSink Usage { get; } = new();

        public LlmDistiller Distiller { get; }

        public static async Task<Bed> StartAsync(int maxRetries = 1) => new(await FakeLlmServer.StartAsync(Key, "2024-10-21", "chat"), maxRetries);

        public Task<IReadOnlyList<SemanticItemData>> DistillAsync() =>
            Distiller.DistillAsync(new DistillationRequest("acme", "carol", Cluster, Existing, HelaMemOptions.Default, int.MaxValue), CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Server.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_answer_becomes_slotted_profile_items_and_dated_facts_and_the_tokens_are_the_tenants()
    {
        await using var bed = await Bed.StartAsync();
        bed.Server.ScriptAnswers(GoodAnswer);

        var items = await bed.DistillAsync();

        var engaged = Assert.Single(items, i => i.Text == "Caroline is engaged");
        Assert.Equal(SemanticItemKind.Profile, engaged.Kind);
        Assert.Equal(Existing[0].Slot, engaged.Slot);
        Assert.Equal([12L], engaged.Sources);
        Assert.Equal([11L], Assert.Single(items, i => i.Text == "Melanie has kids").Sources);
        Assert.Equal([10L], Assert.Single(items, i => i.Kind == SemanticItemKind.Fact).Sources);

        // The prompt carried the existing profile and the turns with their ids and dates.
        var request = Assert.Single(bed.Server.Requests);
        var prompt = string.Join("\n", ((JsonArray)request.Body["messages"]!).Select(m => m!["content"]!.ToString()));
        Assert.Contains("caroline | relationship status | Caroline is single", prompt, StringComparison.Ordinal);
        Assert.Contains("10 | 2023-05-08 | Caroline: I went to a LGBTQ support group yesterday.", prompt, StringComparison.Ordinal);
        Assert.Equal("acme", Assert.Single(bed.Usage.Usages).Tenant);
    }

    [Fact]
    public async Task A_slotted_update_replaces_the_existing_item_in_the_semantic_store()
    {
        await using var bed = await Bed.StartAsync();
        bed.Server.ScriptAnswers(GoodAnswer);
        var store = new HelaMem.Core.Semantic.SemanticStore(2);
        store.Add(new HelaMem.Core.Semantic.SemanticItem(HelaMem.Core.Semantic.SemanticKind.Profile, Existing[0].Text, [3], "Caroline", Existing[0].Slot), [1f, 0f]);

        foreach (var item in await bed.DistillAsync())
        {
            store.Add(new HelaMem.Core.Semantic.SemanticItem((HelaMem.Core.Semantic.SemanticKind)(int)item.Kind, item.Text, [.. item.Sources.Select(s => (int)s)], item.Subject, item.Slot), [1f, 0f]);
        }

        Assert.Equal(["Caroline is engaged", "Melanie has kids"], store.Profile.Select(i => i.Text));
    }

    [Theory]
    [InlineData("Sure! Here is the profile you asked for.")]
    [InlineData("""{"profile": [{"subject": "Caroline", "attribute": "x", "text": "Caroline is eng""")]
    [InlineData("""{"profile": {"subject": "Caroline"}}""")]
    [InlineData("""{"facts": [{"subject": "Caroline", "sources": [10]}]}""")]
    public async Task A_malformed_answer_defers_the_cluster_and_returns_nothing(string answer)
    {
        await using var bed = await Bed.StartAsync();
        bed.Server.ScriptAnswers(answer);

        await Assert.ThrowsAsync<DistillationDeferredException>(bed.DistillAsync);

        // The next run asks again and stores what the model then says.
        bed.Server.ScriptAnswers(GoodAnswer);
        Assert.Equal(3, (await bed.DistillAsync()).Count);
    }

    [Fact]
    public async Task A_fenced_answer_is_read()
    {
        await using var bed = await Bed.StartAsync();
        bed.Server.ScriptAnswers("```json\n" + GoodAnswer + "\n```");

        Assert.Equal(3, (await bed.DistillAsync()).Count);
    }

    [Fact]
    public async Task A_429_is_retried_and_one_that_outlasts_the_retries_defers_the_cluster()
    {
        await using var bed = await Bed.StartAsync(maxRetries: 1);
        bed.Server.Script(FakeReply.TooManyRequests);
        bed.Server.ScriptAnswers(GoodAnswer);
        Assert.Equal(3, (await bed.DistillAsync()).Count);

        bed.Server.Script(FakeReply.TooManyRequests, FakeReply.TooManyRequests);
        var deferred = await Assert.ThrowsAsync<DistillationDeferredException>(bed.DistillAsync);
        Assert.IsAssignableFrom<LlmUnavailableException>(deferred.InnerException);
    }

    [Fact]
    public async Task A_protocol_level_malformed_body_defers_the_cluster()
    {
        await using var bed = await Bed.StartAsync();
        bed.Server.Script(FakeReply.MalformedJson);

        var deferred = await Assert.ThrowsAsync<DistillationDeferredException>(bed.DistillAsync);
        Assert.IsType<LlmProtocolException>(deferred.InnerException);
    }

    // Every tenant on the silo's provider (the per-tenant routing is TenantLlmOverrideTests' subject).
    private sealed class SiloClients(LlmClientFactory factory) : HelaMem.Grains.Llm.ITenantLlmClients
    {
        private readonly Microsoft.Extensions.AI.IChatClient _chat = factory.CreateChatClient();

        public ValueTask<Microsoft.Extensions.AI.IChatClient> ChatClientAsync(string tenant, CancellationToken cancellationToken = default) => ValueTask.FromResult(_chat);

        public ValueTask<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>> EmbeddingGeneratorAsync(string tenant, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(factory.CreateEmbeddingGenerator());
    }
}
