using System.Net;
using HelaMem.Abstractions.Grains;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Memories;

/// <summary>
/// PATCH of a memory: content re-embedded and re-keyworded (search follows it), metadata replaced, edges and id kept,
/// every version in its history; bad updates are 4xx and change nothing.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class MemoryUpdateTests(SiloFactory silo)
{
    [Fact]
    public async Task Updated_content_is_what_search_finds_and_the_old_text_stays_in_the_history()
    {
        var (tenant, key, http) = await silo.CreateTenantAsync("patch");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Samples.Conversation());
        var node = silo.Grains.GetGrain<IMemoryNodeGrain>($"{tenant}/u/3");
        var edgesBefore = (await node.Read(0))!.Edges.Where(e => e.StructuralWeight > 0).Select(e => (e.Neighbour, e.StructuralWeight)).ToList();

        var updated = await client.UpdateMemoryAsync("u", 3, new MemoryUpdateRequest("Alice: I switched from the violin to the cello and play it on Saturdays."));
        Assert.Equal((3L, 2), (updated.Id, updated.Version));
        Assert.Contains("cello", updated.Keywords);
        Assert.DoesNotContain(updated.Keywords, k => k.StartsWith("weekend", StringComparison.Ordinal));
        Assert.Equal("D1:4", updated.Metadata["dia_id"]);
        Assert.Equal(("assistant", "conv-1"), (updated.Role, updated.ConversationId));

        // The index follows: the new word finds it first, and its structural links to the other turns are the ones it had
        // (the search itself may add learned ones).
        var found = await client.SearchAsync("u", new SearchRequest("cello Saturdays", TopK: 1, IncludeSemantic: false));
        Assert.Equal(3, Assert.Single(found.Items).Id);
        Assert.NotEmpty(edgesBefore);
        Assert.Equal(edgesBefore, (await node.Read(0))!.Edges.Where(e => e.StructuralWeight > 0).Select(e => (e.Neighbour, e.StructuralWeight)).ToList());

        var metadataOnly = await client.UpdateMemoryAsync("u", 3, new MemoryUpdateRequest(Metadata: new Dictionary<string, string> { ["dia_id"] = "D1:4", ["edited"] = "yes" }));
        Assert.Equal(3, metadataOnly.Version);
        Assert.Equal(updated.Content, metadataOnly.Content);

        var history = await client.GetMemoryHistoryAsync("u", 3);
        Assert.Equal([1, 2, 3], history.Versions.Select(v => v.Version));
        Assert.Equal(["created", "updated", "updated"], history.Versions.Select(v => v.Event));
        Assert.Equal("Alice: I am learning to play the violin on weekends.", history.Versions[0].Content);
        Assert.Equal(updated.Content, history.Versions[2].Content);
        Assert.False(history.Versions[0].Metadata.ContainsKey("edited"));
        Assert.Equal("yes", history.Versions[2].Metadata["edited"]);
        Assert.All(history.Versions, v => Assert.NotNull(v.At));
        Assert.True(history.Versions[0].At <= history.Versions[1].At && history.Versions[1].At <= history.Versions[2].At);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_adds_no_version_and_empty_metadata_removes_it()
    {
        var (_, key, http) = await silo.CreateTenantAsync("patch");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Samples.Conversation());
        var memory = await client.GetMemoryAsync("u", 0);

        var same = await client.UpdateMemoryAsync("u", 0, new MemoryUpdateRequest(memory.Content, memory.Metadata));
        Assert.Equal(1, same.Version);
        Assert.Single((await client.GetMemoryHistoryAsync("u", 0)).Versions);

        var cleared = await client.UpdateMemoryAsync("u", 0, new MemoryUpdateRequest(Metadata: new Dictionary<string, string>()));
        Assert.Equal(2, cleared.Version);
        Assert.Empty(cleared.Metadata);
    }

    public static TheoryData<string, HttpStatusCode, string> BadUpdates() => new()
    {
        { "{}", HttpStatusCode.BadRequest, "'content', 'metadata' or both" },
        { """{"content": "   "}""", HttpStatusCode.BadRequest, "content is missing or empty" },
        { """{"content": "a\u0000b"}""", HttpStatusCode.BadRequest, "content" },
        { """{"metadata": {"dia_id": null}}""", HttpStatusCode.BadRequest, "metadata['dia_id'] is null" },
        { """{"metadata": {"": "x"}}""", HttpStatusCode.BadRequest, "metadata has an empty key" },
        { """{"content": 5}""", HttpStatusCode.BadRequest, "content" },
        { "{\"content\": \"" + new string('x', 40_000) + "\"}", HttpStatusCode.RequestEntityTooLarge, "content is 40000 characters long" },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task A_bad_update_is_refused_in_the_apis_words_and_changes_nothing(string body, HttpStatusCode status, string expected)
    {
        var (_, key, http) = await silo.CreateTenantAsync("patch");
        using var _ = http;
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Samples.Conversation());

        var response = await http.PatchAsync(new Uri("/v1/users/u/memories/1", UriKind.Relative), Http.Json(body));
        var problem = await response.ProblemAsync(status);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var memory = await client.GetMemoryAsync("u", 1);
        Assert.Equal((1, "Bob: That is wonderful, how is Rex doing with the training?"), (memory.Version, memory.Content));
    }

    [Fact]
    public async Task Unknown_deleted_and_other_tenants_memories_are_404()
    {
        var (_, key, http) = await silo.CreateTenantAsync("patch");
        http.Dispose();
        var (_, otherKey, otherHttp) = await silo.CreateTenantAsync("patch");
        otherHttp.Dispose();
        using var client = silo.TypedClient(key);
        using var other = silo.TypedClient(otherKey);
        await client.IngestAsync("u", Samples.Conversation());
        await other.IngestAsync("u", new IngestRequest([new MessageInput("someone else's memory")]));
        await client.DeleteMemoryAsync("u", 2);

        var change = new MemoryUpdateRequest("new text");
        foreach (var id in new long[] { 2, 5, 99 })
        {
            var error = await Assert.ThrowsAsync<HelaMemApiException>(() => client.UpdateMemoryAsync("u", id, change));
            Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetMemoryHistoryAsync("u", id))).StatusCode);
        }

        // The other tenant's user "u" has one memory (id 0): our id 3 is unknown there, and its update of its own
        // memory 0 leaves ours untouched.
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => other.UpdateMemoryAsync("u", 3, change))).StatusCode);
        Assert.Equal(2, (await other.UpdateMemoryAsync("u", 0, change)).Version);
        var ours = await client.GetMemoryAsync("u", 0);
        Assert.Equal((1, "Alice: I adopted a golden retriever puppy named Rex last spring."), (ours.Version, ours.Content));
    }

    [Fact]
    public async Task Agents_and_runs_have_the_same_memory_features_apart_from_their_users()
    {
        var (_, key, http) = await silo.CreateTenantAsync("scoped");
        http.Dispose();
        using var client = silo.TypedClient(key);
        var agent = MemoryScope.Agent("u");
        var job = await client.SubmitIngestAsync(agent, Samples.Conversation());
        Assert.Equal(("succeeded", "agent"), ((await client.WaitForIngestJobAsync(agent, job.JobId, TimeSpan.FromMilliseconds(50))).Status, job.Scope));
        await client.IngestAsync("u", new IngestRequest([new MessageInput("the user's own memory")]));

        var updated = await client.UpdateMemoryAsync(agent, 0, new MemoryUpdateRequest("Alice: Rex is now two years old."));
        Assert.Equal(2, updated.Version);
        Assert.Equal(2, (await client.GetMemoryHistoryAsync(agent, 0)).Versions.Count);
        Assert.Equal(1, (await client.GetMemoryAsync("u", 0)).Version);

        var bob = await client.ListMemoriesAsync(agent, new MemoryFilter(Speakers: ["Bob"]));
        Assert.Equal([1L, 4], bob.Items.Select(m => m.Id));
        var batch = await client.SearchBatchAsync(MemoryScope.Agent("u"), new BatchSearchRequest([new SearchRequest("Rex", Filter: new MemoryFilter(Speakers: ["Alice"]))]));
        Assert.All(Assert.Single(batch.Results).Items, item => Assert.Equal("Alice", item.Speaker));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetIngestJobAsync("u", job.JobId))).StatusCode);
    }
}
