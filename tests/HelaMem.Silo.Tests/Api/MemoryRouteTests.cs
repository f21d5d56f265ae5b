using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(SiloHostGroup.Name)]
public sealed class MemoryRouteTests(SiloFactory silo)
{
    private async Task<HelaMemClient> TenantAsync()
    {
        var (_, apiKey, http) = await silo.CreateTenantAsync();
        http.Dispose();
        return silo.TypedClient(apiKey);
    }

    [Fact]
    public async Task Ingest_then_search_returns_content_metadata_pathways_and_context()
    {
        using var client = await TenantAsync();
        var ingest = await client.IngestAsync("alice", Samples.Conversation());
        Assert.Equal([0L, 1, 2, 3, 4], ingest.NodeIds);
        Assert.Equal(5, ingest.NodeCount);

        var result = await client.SearchAsync("alice", new SearchRequest("Where does my sister live? Lisbon", Explain: true));
        Assert.True(result.RetrievalId >= 1);
        Assert.NotEmpty(result.Items);
        var top = result.Items[0];
        Assert.Contains("Lisbon", top.Content, StringComparison.Ordinal);
        Assert.StartsWith("D1:", top.Metadata["dia_id"], StringComparison.Ordinal);
        Assert.Equal("conv-1", top.ConversationId);
        Assert.All(result.Items, item => Assert.Contains(item.Pathway, new[] { "base", "flip" }));
        Assert.Contains("lisbon", top.Explanation!.MatchedKeywords);
        Assert.True(top.Explanation.KeywordOverlap > 0);
        Assert.True(result.ContextTokens > 0);
        Assert.Contains("Lisbon", result.Context, StringComparison.Ordinal);

        var limited = await client.SearchAsync("alice", new SearchRequest("violin", TopK: 1, IncludeSemantic: false));
        Assert.Single(limited.Items);
        Assert.Null(limited.Items[0].Explanation);
    }

    [Fact]
    public async Task Items_are_ordered_by_the_shown_score_and_topK_is_at_most_the_selection()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync();
        http.Dispose();
        using (var ops = silo.TypedClient())
        {
            // k = 2 base items and up to m = 3 flipped ones: a selection of at most 5.
            await ops.UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(Retrieval: new RetrievalSettings(TopK: 2, MaxFlipped: 3)));
        }

        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync("u", Samples.Conversation());
        var all = await client.SearchAsync("u", new SearchRequest("Rex the puppy and my sister in Lisbon", IncludeSemantic: false));
        Assert.Equal(all.Items.Count, all.Selected);
        Assert.InRange(all.Items.Count, 2, 5);
        AssertOrderedByScore(all.Items);

        // topK larger than the selection returns the selection and says how large it was; one rule for every value.
        var hundred = await client.SearchAsync("u", new SearchRequest("Rex the puppy and my sister in Lisbon", TopK: 100, IncludeSemantic: false));
        Assert.Equal(hundred.Selected, hundred.Items.Count);
        Assert.InRange(hundred.Items.Count, 2, 5);
        AssertOrderedByScore(hundred.Items);

        var two = await client.SearchAsync("u", new SearchRequest("Rex the puppy and my sister in Lisbon", TopK: 2, IncludeSemantic: false));
        Assert.Equal(2, two.Items.Count);
        Assert.True(two.Selected >= 2);
        AssertOrderedByScore(two.Items);
    }

    private static void AssertOrderedByScore(IReadOnlyList<MemoryItem> items)
    {
        for (var i = 1; i < items.Count; i++)
        {
            var (previous, item) = (items[i - 1], items[i]);
            Assert.True(previous.Score > item.Score || (previous.Score == item.Score && previous.Id < item.Id),
                $"item {i} ({item.Id}, {item.Score}) is after ({previous.Id}, {previous.Score})");
        }
    }

    [Fact]
    public async Task Usage_report_is_accepted_for_a_search_and_refused_for_unknown_ids()
    {
        using var client = await TenantAsync();
        await client.IngestAsync("u", Samples.Conversation());
        var result = await client.SearchAsync("u", new SearchRequest("Rex puppy training"));
        await client.ReportUsageAsync("u", new UsageReport(result.RetrievalId, [.. result.Items.Take(2).Select(i => i.Id)]));

        var future = await Assert.ThrowsAsync<HelaMemApiException>(() => client.ReportUsageAsync("u", new UsageReport(result.RetrievalId + 100, [0])));
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        var unknownNode = await Assert.ThrowsAsync<HelaMemApiException>(() => client.ReportUsageAsync("u", new UsageReport(result.RetrievalId, [999])));
        Assert.Equal(HttpStatusCode.BadRequest, unknownNode.StatusCode);
        var empty = await Assert.ThrowsAsync<HelaMemApiException>(() => client.ReportUsageAsync("u", new UsageReport(result.RetrievalId, [])));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task List_get_and_delete_memories()
    {
        using var client = await TenantAsync();
        await client.IngestAsync("bob", Samples.Conversation());
        var page = await client.ListMemoriesAsync("bob", offset: 1, limit: 2);
        Assert.Equal([1L, 2], page.Items.Select(m => m.Id));
        Assert.Equal(5, page.Total);
        var memory = await client.GetMemoryAsync("bob", 2);
        Assert.Contains("Lisbon", memory.Content, StringComparison.Ordinal);
        Assert.Equal("D1:3", memory.Metadata["dia_id"]);
        Assert.Equal("user", memory.Role);
        Assert.NotEmpty(memory.Keywords);

        await client.DeleteMemoryAsync("bob", 2);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetMemoryAsync("bob", 2))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.DeleteMemoryAsync("bob", 2))).StatusCode);
        Assert.DoesNotContain(2L, (await client.ListMemoriesAsync("bob")).Items.Select(m => m.Id));
        var search = await client.SearchAsync("bob", new SearchRequest("sister architect Lisbon"));
        Assert.DoesNotContain(search.Items, i => i.Id == 2);
        Assert.Equal(1, (await client.GetUserStatsAsync("bob")).ArchivedNodes);
    }

    [Fact]
    public async Task Delete_user_returns_a_receipt_and_leaves_nothing()
    {
        using var client = await TenantAsync();
        await client.IngestAsync("carol", Samples.Conversation());
        var receipt = await client.DeleteUserAsync("carol");
        Assert.Equal(new DeletionReceipt("carol", 5, 0, receipt.DeletedAt), receipt);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetUserStatsAsync("carol"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.DeleteUserAsync("carol"))).StatusCode);

        // A new ingest starts from an empty graph: no old memory or annotation comes back.
        var again = await client.IngestAsync("carol", new IngestRequest([new MessageInput("a fresh start")]));
        Assert.Equal([0L], again.NodeIds);
        Assert.Empty((await client.GetMemoryAsync("carol", 0)).Metadata);
    }

    [Fact]
    public async Task Profile_consolidation_and_stats_answer_for_a_known_user()
    {
        using var client = await TenantAsync();
        await client.IngestAsync("dave", Samples.Conversation());
        await client.SearchAsync("dave", new SearchRequest("Rex"));
        var report = await client.ConsolidateAsync("dave");
        Assert.True(report.HubsDistilled >= 0 && report.NodesArchived == 0);
        var profile = await client.GetProfileAsync("dave");
        Assert.Equal("dave", profile.User);
        var stats = await client.GetUserStatsAsync("dave");
        Assert.Equal(new UserStats("dave", 5, 5, 0, stats.Step, 1, profile.Profile.Count + profile.Knowledge.Count), stats);
        Assert.True(stats.Step >= 1);
    }
}
