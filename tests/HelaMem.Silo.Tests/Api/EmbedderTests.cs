using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HelaMem.Abstractions.Grains;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// Graphs record their embedder: two silo runs over the same SQLite data directory with different HelaMem:Embedder,
/// the refusal while they differ, and <c>POST /reembed</c> moving a user across.
/// </summary>
public sealed class EmbedderTests
{
    private static Dictionary<string, string?> Embedder(string name) => new() { ["HelaMem:Embedder"] = name };

    [Fact]
    public async Task A_graph_built_on_hashing_is_refused_on_MiniLM_until_reembedded_then_finds_the_right_memory()
    {
        using var data = new TempDirectory();
        string tenant;
        string apiKey;
        await using (var hashing = new SiloFactory(Embedder("hashing"), data))
        {
            (tenant, apiKey, var http) = await hashing.CreateTenantAsync("emb");
            http.Dispose();
            using var client = hashing.TypedClient(apiKey);
            await client.IngestAsync("alice", Samples.Conversation());
            Assert.Equal("hashing-100d", (await hashing.TypedClient().GetClusterStatsAsync()).Embedder);
        }

        await using var miniLm = new SiloFactory(Embedder("minilm"), data);
        using var alice = miniLm.TypedClient(apiKey);
        Assert.Equal("minilm-l6-v2-384d", (await miniLm.TypedClient().GetClusterStatsAsync()).Embedder);

        // Search, ingest and a content update are refused with a 409 that names both embedders and the fix.
        using var http2 = miniLm.WithKey(apiKey);
        var search = await http2.PostAsJsonAsync("/v1/users/alice/search", new { query = "violin weekends" });
        Assert.Equal(HttpStatusCode.Conflict, search.StatusCode);
        using (var problem = JsonDocument.Parse(await search.Content.ReadAsStringAsync()))
        {
            var root = problem.RootElement;
            Assert.Equal("embedder-mismatch", root.GetProperty("type").GetString());
            Assert.Equal("Embedder mismatch", root.GetProperty("title").GetString());
            Assert.Equal("hashing-100d", root.GetProperty("graphEmbedder").GetString());
            Assert.Equal("minilm-l6-v2-384d", root.GetProperty("siloEmbedder").GetString());
            var detail = root.GetProperty("detail").GetString()!;
            Assert.Contains("'hashing-100d'", detail, StringComparison.Ordinal);
            Assert.Contains("'minilm-l6-v2-384d'", detail, StringComparison.Ordinal);
            Assert.Contains("helamem reembed", detail, StringComparison.Ordinal);
        }

        var ingest = await Assert.ThrowsAsync<HelaMemApiException>(() => alice.IngestAsync("alice", Samples.Conversation()));
        Assert.Equal((HttpStatusCode.Conflict, "embedder-mismatch"), (ingest.StatusCode, ingest.ProblemType));
        var update = await Assert.ThrowsAsync<HelaMemApiException>(() => alice.UpdateMemoryAsync("alice", 3, new MemoryUpdateRequest("I play the cello now.")));
        Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);

        // Nothing changed: still five memories, as they were, listed and counted as before.
        var stats = await alice.GetUserStatsAsync("alice");
        Assert.Equal((5, 0), (stats.Nodes, stats.Step));
        Assert.Equal("Alice: I am learning to play the violin on weekends.", (await alice.GetMemoryAsync("alice", 3)).Content);
        Assert.Equal(1, (await alice.GetMemoryAsync("alice", 3)).Version);

        // Another tenant cannot reach alice's memory at all (the tenant comes from the key).
        var (_, otherKey, otherHttp) = await miniLm.CreateTenantAsync("other");
        otherHttp.Dispose();
        using var other = miniLm.TypedClient(otherKey);
        var foreign = await Assert.ThrowsAsync<HelaMemApiException>(() => other.ReembedAsync("alice"));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        var moved = await alice.ReembedAsync("alice");
        Assert.Equal(("hashing-100d", "minilm-l6-v2-384d", 384, 5L, true, "user"),
            (moved.From, moved.To, moved.Dimensions, moved.MemoriesReembedded, moved.Changed, moved.Scope));

        // Idempotent: a second run changes nothing.
        var again = await alice.ReembedAsync("alice");
        Assert.Equal(("minilm-l6-v2-384d", "minilm-l6-v2-384d", 0L, false), (again.From, again.To, again.MemoriesReembedded, again.Changed));

        // Search works on the new vectors, and MiniLM finds the violin memory from words it does not contain.
        var found = await alice.SearchAsync("alice", new SearchRequest("Which musical instrument is Alice studying?", TopK: 1));
        Assert.Equal(3, found.Items[0].Id);
        await alice.IngestAsync("alice", new IngestRequest([new MessageInput("Alice: My violin teacher is called Maria.", "Alice")]));
        Assert.Equal(6, (await alice.GetUserStatsAsync("alice")).Nodes);
        _ = tenant;
    }

    [Fact]
    public async Task Reembedding_goes_in_durable_steps_and_an_interrupted_run_resumes_after_a_restart()
    {
        using var data = new TempDirectory();
        string tenant;
        string apiKey;
        await using (var hashing = new SiloFactory(Embedder("hashing"), data))
        {
            (tenant, apiKey, var http) = await hashing.CreateTenantAsync("steps");
            http.Dispose();
            using var client = hashing.TypedClient(apiKey);
            await client.IngestAsync("alice", Samples.Conversation());
        }

        await using (var first = new SiloFactory(Embedder("minilm"), data))
        {
            // Two of five memories, then the silo stops: the graph is half-way and stays refused.
            var step = await first.Grains.GetGrain<IUserGraphGrain>($"{tenant}/alice").Reembed(2);
            Assert.Equal(("hashing-100d", 2L, 3L, 0, true), (step.From, step.Memories, step.Remaining, step.SemanticItems, step.Changed));
            using var alice = first.TypedClient(apiKey);
            var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => alice.SearchAsync("alice", new SearchRequest("violin")));
            Assert.Contains("partly re-embedded to minilm-l6-v2-384d", refused.Detail, StringComparison.Ordinal);
        }

        await using var second = new SiloFactory(Embedder("minilm"), data);
        var graph = second.Grains.GetGrain<IUserGraphGrain>($"{tenant}/alice");
        var resumed = await graph.Reembed(2);
        Assert.Equal((2L, 1L), (resumed.Memories, resumed.Remaining));
        var last = await graph.Reembed(2);
        Assert.Equal((1L, 0L, true), (last.Memories, last.Remaining, last.Changed));
        Assert.False((await graph.Reembed(2)).Changed);
        using var client2 = second.TypedClient(apiKey);
        Assert.Equal(3, (await client2.SearchAsync("alice", new SearchRequest("Which musical instrument is Alice studying?", TopK: 1))).Items[0].Id);
    }

    [Fact]
    public async Task A_reembedded_graph_is_refused_again_by_a_silo_back_on_the_old_embedder_and_a_new_user_adopts_the_silos()
    {
        using var data = new TempDirectory();
        string apiKey;
        await using (var miniLm = new SiloFactory(Embedder("minilm"), data))
        {
            (_, apiKey, var http) = await miniLm.CreateTenantAsync("back");
            http.Dispose();
            using var client = miniLm.TypedClient(apiKey);
            await client.IngestAsync("alice", Samples.Conversation());
        }

        await using var hashing = new SiloFactory(Embedder("hashing"), data);
        using var alice = hashing.TypedClient(apiKey);
        var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => alice.SearchAsync("alice", new SearchRequest("violin")));
        Assert.Equal((HttpStatusCode.Conflict, "embedder-mismatch"), (refused.StatusCode, refused.ProblemType));

        // An empty graph simply takes the silo's embedder with its first memories.
        await alice.IngestAsync("bob", Samples.Conversation());
        Assert.Equal(3, (await alice.SearchAsync("bob", new SearchRequest("violin weekends"))).Items[0].Id);
        Assert.False((await alice.ReembedAsync("bob")).Changed);

        var moved = await alice.ReembedAsync("alice");
        Assert.Equal(("minilm-l6-v2-384d", "hashing-100d", 100, 5L), (moved.From, moved.To, moved.Dimensions, moved.MemoriesReembedded));
        Assert.Equal(3, (await alice.SearchAsync("alice", new SearchRequest("violin weekends"))).Items[0].Id);
    }

    [Fact]
    public async Task Every_reembed_step_after_the_first_costs_a_request_and_a_refusal_part_way_keeps_the_steps_done()
    {
        using var data = new TempDirectory();
        string tenant;
        string apiKey;
        var memories = (2 * 256) + 3;
        await using (var miniLm = new SiloFactory(Embedder("minilm"), data))
        {
            (tenant, apiKey, var http) = await miniLm.CreateTenantAsync("costly");
            http.Dispose();
            using var client = miniLm.TypedClient(apiKey);
            var at = new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);
            await client.IngestAsync("alice", new IngestRequest([.. Enumerable.Range(0, memories).Select(i =>
                new MessageInput($"Alice: note {i} about the garden, the violin and Lisbon", "Alice", "user", at.AddMinutes(i), "conv-1"))]));
        }

        // Two requests' worth of tokens, one more every 4 s (far longer than two steps of the hashing embedder take): the first call pays one token for itself and one for its
        // second step, and is refused before its third.
        var limits = new Dictionary<string, string?>(Embedder("hashing"))
        {
            ["HelaMem:RateLimit:TokenLimit"] = "2",
            ["HelaMem:RateLimit:TokensPerPeriod"] = "1",
            ["HelaMem:RateLimit:PeriodSeconds"] = "4",
        };
        await using var hashing = new SiloFactory(limits, data);
        using var raw = hashing.CreateClient();
        raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);

        using var refused = await raw.PostAsync(new Uri("/v1/users/alice/reembed", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("too many requests", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The two steps done are stored: the next call (after the wait) resumes with the rest.
        var graph = hashing.Grains.GetGrain<IUserGraphGrain>($"{tenant}/alice");
        await Task.Delay(refused.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        using var resumed = await raw.PostAsync(new Uri("/v1/users/alice/reembed", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var result = await resumed.Content.ReadFromJsonAsync<ReembedResult>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(("hashing-100d", 3L, true), (result!.To, result.MemoriesReembedded, result.Changed));
        Assert.False((await graph.Reembed(256)).Changed);
    }
}
