using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Memories;

/// <summary>
/// Idempotency-Key on ingest (a retried request returns the first result and stores nothing; the same key with another
/// request is a 422) and de-duplication of identical content.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class IdempotentIngestTests(SiloFactory silo)
{
    [Fact]
    public async Task The_same_request_twice_with_one_key_is_stored_once()
    {
        var (_, key, http) = await silo.CreateTenantAsync("idem");
        using var _ = http;
        using var client = silo.TypedClient(key);
        var body = """{"messages": [{"content": "I moved to Porto in June."}, {"content": "The flat has a view of the river."}]}""";

        var first = await Send(http, body, "order-17");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var stored = await first.ReadAsync<IngestResult>(HttpStatusCode.Created);

        // The retry carries no timestamps either, so the server stamps nothing new: the same request, the same answer.
        var again = await Send(http, body, "order-17");
        var replayed = await again.ReadAsync<IngestResult>(HttpStatusCode.Created);
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.True(replayed.Replayed);
        Assert.Equal(stored.NodeIds, replayed.NodeIds);
        Assert.Equal(2, (await client.ListMemoriesAsync("u")).Total);

        // Whitespace and property order are not part of the request; a new key stores anew.
        var reordered = await Send(http, """{ "messages" : [ {"content":"I moved to Porto in June."} , {"content":"The flat has a view of the river."} ] }""", "order-17");
        Assert.True((await reordered.ReadAsync<IngestResult>(HttpStatusCode.Created)).Replayed);
        var fresh = await (await Send(http, body, "order-18")).ReadAsync<IngestResult>(HttpStatusCode.Created);
        Assert.Equal([2L, 3], fresh.NodeIds);
        Assert.Equal(4, (await client.ListMemoriesAsync("u")).Total);
    }

    [Fact]
    public async Task A_key_reused_with_another_request_is_a_422_and_stores_nothing()
    {
        var (_, key, http) = await silo.CreateTenantAsync("idem");
        using var _ = http;
        using var client = silo.TypedClient(key);
        await (await Send(http, """{"messages": [{"content": "first"}]}""", "k-1")).ReadAsync<IngestResult>(HttpStatusCode.Created);

        var response = await Send(http, """{"messages": [{"content": "second"}]}""", "k-1");
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("'k-1' was used", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["first"], (await client.ListMemoriesAsync("u")).Items.Select(m => m.Content));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")]
    public async Task A_malformed_key_is_a_400_naming_the_header(string idempotencyKey)
    {
        var (_, _, http) = await silo.CreateTenantAsync("idem");
        using var _ = http;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/users/u/messages", UriKind.Relative)) { Content = Http.Json("""{"messages": [{"content": "x"}]}""") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        var problem = await (await http.SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'Idempotency-Key'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/v1/users/u/stats", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_typed_client_sends_a_key_of_its_own_and_one_it_is_given()
    {
        var (_, key, http) = await silo.CreateTenantAsync("idem");
        http.Dispose();
        using var client = silo.TypedClient(key);
        var request = new IngestRequest([new MessageInput("remember the milk")]);

        // Two calls are two requests (each has its own key): stored twice.
        await client.IngestAsync("u", request);
        await client.IngestAsync("u", request);
        Assert.Equal(2, (await client.ListMemoriesAsync("u")).Total);

        // A caller's key survives the caller: another client instance repeating it gets the first result.
        var first = await client.IngestAsync("u", request, "batch-2024-05-01");
        using var restarted = silo.TypedClient(key);
        var repeat = await restarted.IngestAsync("u", request, "batch-2024-05-01");
        Assert.Equal(first.NodeIds, repeat.NodeIds);
        Assert.Equal((false, true), (first.Replayed, repeat.Replayed));
        Assert.Equal(3, (await client.ListMemoriesAsync("u")).Total);
    }

    [Fact]
    public async Task Deduplication_stores_identical_content_once_and_names_the_existing_memory()
    {
        var (_, key, http) = await silo.CreateTenantAsync("dedup");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", new IngestRequest([new MessageInput("I like green tea."), new MessageInput("My cat is called Miso.")]));

        var result = await client.IngestAsync("u", new IngestRequest(
        [
            new MessageInput("  I like green tea. "),
            new MessageInput("I started running."),
            new MessageInput("I started running."),
            new MessageInput("my cat is called miso."),
        ], Deduplicate: true));
        Assert.Equal([0L, 2, 2, 3], result.NodeIds);
        Assert.Equal([0, 2], result.Duplicates);
        Assert.Equal(4, (await client.ListMemoriesAsync("u")).Total);

        // Without it, identical content is stored again (a turn said twice is two turns); a deleted memory is not a duplicate.
        await client.DeleteMemoryAsync("u", 1);
        var plain = await client.IngestAsync("u", new IngestRequest([new MessageInput("I like green tea."), new MessageInput("My cat is called Miso.")]));
        Assert.Equal([4L, 5], plain.NodeIds);
        Assert.Null(plain.Duplicates);
        var afterDelete = await client.IngestAsync("u", new IngestRequest([new MessageInput("My cat is called Miso.")], Deduplicate: true));
        Assert.Equal([5L], afterDelete.NodeIds);
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, string body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/users/u/messages", UriKind.Relative)) { Content = Http.Json(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return http.SendAsync(request);
    }
}
