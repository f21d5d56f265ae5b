using System.Net;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Memories;

/// <summary>Batch search: several searches of one user in one request, checked together, answered in order, rate-limited per search.</summary>
[Collection(SiloHostGroup.Name)]
public sealed class BatchSearchTests(SiloFactory silo)
{
    [Fact]
    public async Task Searches_are_answered_in_order_as_single_searches_would_be()
    {
        var (_, key, http) = await silo.CreateTenantAsync("batch");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Samples.Conversation());

        var batch = await client.SearchBatchAsync("u", new BatchSearchRequest(
        [
            new SearchRequest("puppy named Rex", TopK: 2),
            new SearchRequest("sister Lisbon architect", TopK: 1, Filter: new MemoryFilter(Speakers: ["Alice"])),
            new SearchRequest("violin", IncludeSemantic: false),
        ]));
        Assert.Equal(3, batch.Results.Count);
        Assert.Equal(2, batch.Results[0].Items.Count);
        Assert.Contains(batch.Results[0].Items, i => i.Content.Contains("Rex", StringComparison.Ordinal));
        Assert.Equal("Alice", Assert.Single(batch.Results[1].Items).Speaker);
        Assert.Contains("Lisbon", batch.Results[1].Items[0].Content, StringComparison.Ordinal);

        // Each search is its own retrieval and learning step, in request order.
        Assert.Equal([1L, 2, 3], batch.Results.Select(r => r.RetrievalId));
        Assert.Equal(3, (await client.GetUserStatsAsync("u")).Retrievals);
    }

    public static TheoryData<string, string> BadBatches() => new()
    {
        { """{}""", "'searches' must hold 1 … 10 searches" },
        { """{"searches": []}""", "'searches' must hold 1 … 10 searches" },
        { """{"searches": [""" + string.Join(",", Enumerable.Repeat("""{"query": "q"}""", 11)) + "]}", "it holds 11" },
        { """{"searches": [{"query": "fine"}, {"query": ""}]}""", "'searches[1].query'" },
        { """{"searches": [{"query": "fine"}, {"query": "q", "topK": 0}]}""", "'searches[1].topK'" },
        { """{"searches": [{"query": "q", "filter": {"speakers": [""]}}]}""", "'searches[0].filter.speakers[0]'" },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_search_anywhere_in_the_batch_refuses_all_of_it_and_nothing_is_learned(string body, string expected)
    {
        var (_, key, http) = await silo.CreateTenantAsync("batch");
        using var _ = http;
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Samples.Conversation());

        var response = await http.PostAsync(new Uri("/v1/users/u/search/batch", UriKind.Relative), Http.Json(body));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetUserStatsAsync("u")).Retrievals);
    }
}
