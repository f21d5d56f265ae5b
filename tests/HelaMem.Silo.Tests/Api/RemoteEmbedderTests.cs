using System.Globalization;
using System.Net;
using System.Numerics.Tensors;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Embedding;
using HelaMem.Llm.Tests.Fakes;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// <c>HelaMem:Embedder</c> = remote on the fake OpenAI provider: ingest, update and search embed through the provider in
/// one call per batch; when the provider fails, an ingest or update is a 503 <c>embedding-unavailable</c> that stored
/// nothing (the same request with the same idempotency key succeeds later), and a search answers degraded.
/// </summary>
public sealed class RemoteEmbedderTests(LlmProviders providers) : IClassFixture<LlmProviders>, IAsyncLifetime
{
    private const int Dimensions = 64;

    private SiloFactory _silo = null!;

    /// <summary>The remote embedder's settings (no retries and a 1 s attempt time-out, so failures surface at once; no breaker in the way).</summary>
    internal static Dictionary<string, string?> RemoteSettings(int breakAfterFailures = 1000) => new()
    {
        ["HelaMem:Embedder"] = "remote",
        ["HelaMem:Llm:EmbeddingDimensions"] = Dimensions.ToString(CultureInfo.InvariantCulture),
        ["HelaMem:Llm:TimeoutSeconds"] = "1",
        ["HelaMem:Llm:BreakAfterFailures"] = breakAfterFailures.ToString(CultureInfo.InvariantCulture),
        ["HelaMem:Llm:BreakSeconds"] = "30",
    };

    public Task InitializeAsync()
    {
        _silo = providers.CreateSilo(extra: RemoteSettings());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_ingest_is_one_embeddings_call_of_the_configured_model_and_size_and_the_vectors_are_unit_length()
    {
        var (tenant, apiKey, http) = await _silo.CreateTenantAsync("remote-ok");
        http.Dispose();
        using var client = _silo.TypedClient(apiKey);
        var before = providers.Silo.Requests.Count;

        var receipt = await client.IngestAsync("ana", new IngestRequest([
            new MessageInput("I adopted a dog named Rex last spring", "Ana"),
            new MessageInput("My sister lives in Lisbon", "Ana"),
            new MessageInput("Rex loves the beach", "Ana")]));

        Assert.Equal([0L, 1L, 2L], receipt.NodeIds);
        var call = Assert.Single(providers.Silo.Requests.Skip(before));
        Assert.Equal(("embeddings", "silo-embed", 200), (call.Operation, call.Model, call.Status));
        Assert.Equal(3, call.Body["input"]!.AsArray().Count);
        Assert.Equal(Dimensions, call.Body["dimensions"]!.GetValue<int>());

        // The grains' embedder: the provider's vector scaled to unit length, charged to the tenant.
        var embedder = _silo.Services.GetRequiredService<IGraphEmbedder>();
        Assert.Equal(("remote:silo-embed", Dimensions), (embedder.Name, embedder.Dimensions));
        var vector = await embedder.EmbedAsync(tenant, "Rex loves the beach");
        var expected = FakeLlmServer.WordVectorOf("Rex loves the beach", Dimensions);
        Assert.Equal(1f, TensorPrimitives.Norm(vector), 4);
        Assert.Equal(1f, TensorPrimitives.CosineSimilarity(expected, vector), 4);

        var found = await client.SearchAsync("ana", new SearchRequest("where does the sister live?", 1));
        Assert.False(found.Degraded);
        Assert.Null(found.DegradedReason);
        Assert.Equal("My sister lives in Lisbon", Assert.Single(found.Items).Content);
    }

    [Theory]
    [InlineData(FakeReply.ServerError, "HTTP 500")]
    [InlineData(FakeReply.TooManyRequests, "HTTP 429")]
    [InlineData(FakeReply.Hang, "did not answer")]
    [InlineData(FakeReply.MalformedJson, "not valid OpenAI protocol JSON")]
    [InlineData(FakeReply.WrongLength, "vectors of 63 dimensions; HelaMem:Llm:EmbeddingDimensions is 64")]
    public async Task A_provider_failure_fails_the_ingest_with_503_and_stores_nothing_and_the_same_request_succeeds_later(FakeReply failure, string reason)
    {
        var (tenant, apiKey, http) = await _silo.CreateTenantAsync("remote-fail");
        using var client = _silo.TypedClient(apiKey);
        using var ops = _silo.TypedClient();
        await client.IngestAsync("ben", new IngestRequest([new MessageInput("The first memory is about the garden", "Ben")]));
        var statsBefore = await client.GetUserStatsAsync("ben");
        var tenantBefore = await ops.GetTenantStatsAsync(tenant);
        const string body = """{"messages": [{"content": "I bought a red bicycle today", "speaker": "Ben"}, {"content": "The bicycle has a basket", "speaker": "Ben"}]}""";

        providers.Silo.Script(failure);
        var failed = await PostIngestAsync(http, "ben", body, "idem-ben-1");

        var problem = await failed.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("embedding-unavailable", problem.GetProperty("type").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("nothing was stored", detail, StringComparison.Ordinal);
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(LlmProviders.Key, await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        if (failure == FakeReply.TooManyRequests)
        {
            // The provider's Retry-After, passed on.
            Assert.Equal(TimeSpan.FromSeconds(1), failed.Headers.RetryAfter?.Delta);
        }

        // Nothing stored: no memory, no counters, no idempotency key.
        Assert.Equal(statsBefore, await client.GetUserStatsAsync("ben"));
        Assert.Equal(1, (await client.ListMemoriesAsync("ben")).Total);
        Assert.Equal(tenantBefore, await ops.GetTenantStatsAsync(tenant));

        // The provider is back: the same request with the same key is stored (not replayed), once.
        var receipt = await (await PostIngestAsync(http, "ben", body, "idem-ben-1")).ReadAsync<IngestResult>(HttpStatusCode.Created);
        Assert.Equal([1L, 2L], receipt.NodeIds);
        Assert.False(receipt.Replayed);
        var again = await (await PostIngestAsync(http, "ben", body, "idem-ben-1")).ReadAsync<IngestResult>(HttpStatusCode.Created);
        Assert.True(again.Replayed);
        Assert.Equal(3, (await client.ListMemoriesAsync("ben")).Total);
        Assert.Equal(tenantBefore.MessagesIngested + 2, (await ops.GetTenantStatsAsync(tenant)).MessagesIngested);
        http.Dispose();
    }

    [Fact]
    public async Task A_failed_update_changes_nothing_and_succeeds_once_the_provider_is_back()
    {
        var (_, apiKey, http) = await _silo.CreateTenantAsync("remote-upd");
        http.Dispose();
        using var client = _silo.TypedClient(apiKey);
        await client.IngestAsync("cy", new IngestRequest([new MessageInput("My favourite colour is green", "Cy")]));

        providers.Silo.Script(FakeReply.ServerError);
        var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => client.UpdateMemoryAsync("cy", 0, new MemoryUpdateRequest("My favourite colour is blue")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("embedding-unavailable", refused.ProblemType);
        var unchanged = await client.GetMemoryAsync("cy", 0);
        Assert.Equal(("My favourite colour is green", 1), (unchanged.Content, unchanged.Version));

        var updated = await client.UpdateMemoryAsync("cy", 0, new MemoryUpdateRequest("My favourite colour is blue"));
        Assert.Equal(("My favourite colour is blue", 2), (updated.Content, updated.Version));
    }

    [Fact]
    public async Task A_search_while_the_provider_is_down_answers_degraded_from_keywords_and_is_full_again_after_recovery()
    {
        var (_, apiKey, http) = await _silo.CreateTenantAsync("remote-deg");
        http.Dispose();
        using var client = _silo.TypedClient(apiKey);
        await client.IngestAsync("dee", new IngestRequest([
            new MessageInput("We watched a movie about penguins", "Dee"),
            new MessageInput("I started learning the violin", "Dee"),
            new MessageInput("The weather was rainy all week", "Dee")]));

        providers.Silo.Script(FakeReply.ServerError);
        var degraded = await client.SearchAsync("dee", new SearchRequest("violin lessons", 1));

        Assert.True(degraded.Degraded);
        Assert.Contains("HTTP 500", degraded.DegradedReason, StringComparison.Ordinal);
        Assert.DoesNotContain(LlmProviders.Key, degraded.DegradedReason!, StringComparison.Ordinal);
        Assert.Equal("I started learning the violin", Assert.Single(degraded.Items).Content);
        Assert.Empty(degraded.Knowledge);

        var full = await client.SearchAsync("dee", new SearchRequest("violin lessons", 1));
        Assert.False(full.Degraded);
        Assert.Null(full.DegradedReason);
        Assert.Equal("I started learning the violin", Assert.Single(full.Items).Content);
    }

    [Fact]
    public async Task A_tenant_override_with_another_embedding_model_makes_its_graphs_mismatch_until_reembed()
    {
        using var ops = _silo.TypedClient();
        var (tenant, apiKey, http) = await _silo.CreateTenantAsync("remote-ovr");
        http.Dispose();
        using var client = _silo.TypedClient(apiKey);
        await client.IngestAsync("eve", new IngestRequest([new MessageInput("I play chess on Sundays", "Eve"), new MessageInput("My cat is called Miso", "Eve")]));

        await ops.SetTenantLlmAsync(tenant, new TenantLlmSettings(EmbeddingModel: "tenant-embed"));

        // The loaded graph sees the new model on its next request.
        var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => client.SearchAsync("eve", new SearchRequest("chess", 1)));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("embedder-mismatch", refused.ProblemType);
        Assert.Contains("'remote:silo-embed'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'remote:tenant-embed'", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync("eve", new IngestRequest([new MessageInput("refused", "Eve")])));

        var before = providers.Silo.Requests.Count;
        var moved = await client.ReembedAsync("eve");
        Assert.Equal(("remote:silo-embed", "remote:tenant-embed", 2L), (moved.From, moved.To, moved.MemoriesReembedded));
        Assert.All(providers.Silo.Requests.Skip(before).Where(r => r.Operation == "embeddings"), r => Assert.Equal("tenant-embed", r.Model));

        var found = await client.SearchAsync("eve", new SearchRequest("what is the cat called?", 1));
        Assert.Equal("My cat is called Miso", Assert.Single(found.Items).Content);

        // Another tenant stays on the silo's model.
        var (_, otherKey, otherHttp) = await _silo.CreateTenantAsync("remote-oth");
        otherHttp.Dispose();
        using var other = _silo.TypedClient(otherKey);
        before = providers.Silo.Requests.Count;
        await other.IngestAsync("fay", new IngestRequest([new MessageInput("Hello there", "Fay")]));
        Assert.Equal("silo-embed", Assert.Single(providers.Silo.Requests.Skip(before)).Model);
    }

    [Fact]
    public async Task Consolidation_whose_items_cannot_be_embedded_is_deferred_with_nothing_stored_and_merges_on_the_next_run()
    {
        var (_, apiKey, http) = await _silo.CreateTenantAsync("remote-con");
        http.Dispose();
        using var client = _silo.TypedClient(apiKey);
        await client.IngestAsync("hal", new IngestRequest([new MessageInput("I adopted a puppy called Rex last week.", "Hal")]));
        const string answer = """
            {"profile": [{"subject": "Hal", "attribute": "pets", "text": "Hal has a puppy called Rex", "sources": [0]}],
             "facts": [], "agent_knowledge": []}
            """;

        // The chat model distills; the embeddings call for the distilled item fails.
        providers.Silo.ScriptAnswers(answer);
        providers.Silo.Script(FakeReply.Ok, FakeReply.ServerError);
        var before = providers.Silo.Requests.Count;
        var deferred = await client.ConsolidateAsync(MemoryScope.User("hal"), forget: false);

        Assert.Equal([("chat", 200), ("embeddings", 500)], providers.Silo.Requests.Skip(before).Select(r => (r.Operation, r.Status)));
        Assert.True(deferred.Deferred);
        Assert.Equal(0, deferred.ItemsAdded);
        Assert.Empty((await client.GetProfileAsync("hal")).Profile);

        providers.Silo.ScriptAnswers(answer);
        var merged = await client.ConsolidateAsync(MemoryScope.User("hal"), forget: false);
        Assert.False(merged.Deferred);
        Assert.Contains((await client.GetProfileAsync("hal")).Profile, item => item.Text == "Hal has a puppy called Rex");
    }

    [Fact]
    public async Task An_open_breaker_answers_503_at_once_with_its_remaining_time_as_Retry_After()
    {
        await using var silo = providers.CreateSilo(extra: RemoteSettings(breakAfterFailures: 1));
        var (_, _, http) = await silo.CreateTenantAsync("remote-brk");
        const string body = """{"messages": [{"content": "A note about tea", "speaker": "Gus"}]}""";

        providers.Silo.Script(FakeReply.ServerError);
        (await PostIngestAsync(http, "gus", body, null)).Dispose();
        var before = providers.Silo.Requests.Count;
        var refused = await PostIngestAsync(http, "gus", body, null);

        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("circuit breaker is open", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal(before, providers.Silo.Requests.Count);
        http.Dispose();
    }

    private static Task<HttpResponseMessage> PostIngestAsync(HttpClient http, string user, string body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/v1/users/{user}/messages", UriKind.Relative)) { Content = Http.Json(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return http.SendAsync(request);
    }
}
