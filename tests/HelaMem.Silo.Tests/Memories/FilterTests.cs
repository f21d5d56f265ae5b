using System.Net;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Memories;

/// <summary>
/// Filters on search and listing: metadata (equality and set membership), conversation, speaker, role and time,
/// applied inside the user graph before top-k; bad filters are 400s that name the field and change nothing.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class FilterTests(SiloFactory silo)
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);

    // 30 turns of Alice about her violin (conversation "music"), 6 turns of Bob about his garden ("garden"), one a day.
    private static IngestRequest Conversations()
    {
        var messages = new List<MessageInput>();
        for (var i = 0; i < 30; i++)
        {
            messages.Add(new MessageInput($"Alice: violin practice day {i}, the violin bow and strings need care", "Alice", "user", Start.AddDays(i), "music",
                new Dictionary<string, string> { ["topic"] = "music", ["day"] = $"{i}" }));
        }

        for (var i = 0; i < 6; i++)
        {
            messages.Add(new MessageInput($"Bob: planted tomatoes and basil in the garden bed {i}", "Bob", "assistant", Start.AddDays(30 + i), "garden",
                new Dictionary<string, string> { ["topic"] = i % 2 == 0 ? "garden" : "food", ["day"] = $"{30 + i}" }));
        }

        return new IngestRequest(messages);
    }

    [Fact]
    public async Task A_filtered_search_selects_among_the_matching_memories_before_top_k()
    {
        var (_, key, http) = await silo.CreateTenantAsync("filter");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Conversations());

        // Unfiltered, the violin query fills the places with Alice's turns: filtering its result afterwards would
        // leave fewer than Bob's six.
        var plain = await client.SearchAsync("u", new SearchRequest("violin bow strings", IncludeSemantic: false));
        Assert.True(plain.Items.Count(item => item.Speaker == "Bob") < 6, "the unfiltered result already holds every Bob turn: the test proves nothing");

        // Filtered to Bob, the same query returns all six of Bob's turns: the filter ran before top-k, not after it.
        var bob = await client.SearchAsync("u", new SearchRequest("violin bow strings", IncludeSemantic: false, Filter: new MemoryFilter(Speakers: ["bob"])));
        Assert.Equal(6, bob.Items.Count);
        Assert.All(bob.Items, item => Assert.Equal("Bob", item.Speaker));
        Assert.Equal(6, bob.Selected);
        Assert.DoesNotContain("Alice", bob.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_condition_must_hold_and_values_of_one_condition_are_alternatives()
    {
        var (_, key, http) = await silo.CreateTenantAsync("filter");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Conversations());

        async Task<long[]> SearchIds(MemoryFilter filter) =>
            [.. (await client.SearchAsync("u", new SearchRequest("garden tomatoes violin", TopK: 100, IncludeSemantic: false, Filter: filter))).Items.Select(i => i.Id).Order()];

        // Metadata equality, set membership, and a key the memories lack.
        Assert.Equal(new long[] { 30, 32, 34 }, await SearchIds(new MemoryFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["garden"] })));
        Assert.Equal(new long[] { 30, 31, 32, 33, 34, 35 }, await SearchIds(new MemoryFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["garden", "food"] })));
        Assert.Empty(await SearchIds(new MemoryFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { ["mood"] = ["happy"] })));

        // Conversation, role (case-insensitive) and a time range [from, until).
        Assert.All(await SearchIds(new MemoryFilter(ConversationIds: ["garden"])), id => Assert.InRange(id, 30, 35));
        Assert.All(await SearchIds(new MemoryFilter(Roles: ["ASSISTANT"])), id => Assert.InRange(id, 30, 35));
        Assert.Equal(new long[] { 3, 4 }, await SearchIds(new MemoryFilter(From: Start.AddDays(3), Until: Start.AddDays(5))));

        // Conditions combine: Bob's garden turns in a window that holds two of them.
        Assert.Equal(new long[] { 32 }, await SearchIds(new MemoryFilter(
            Metadata: new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["garden"] }, Speakers: ["Bob"], From: Start.AddDays(31), Until: Start.AddDays(33))));
    }

    [Fact]
    public async Task Listing_takes_the_same_filter_in_its_query_string_and_pages_over_the_matches()
    {
        var (_, key, http) = await silo.CreateTenantAsync("filter");
        using var _ = http;
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Conversations());

        var food = await client.ListMemoriesAsync("u", new MemoryFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["food", "garden"] }, Speakers: ["Bob"]), 0, 4);
        Assert.Equal(6, food.Total);
        Assert.Equal([30L, 31, 32, 33], food.Items.Select(m => m.Id));
        var next = await client.ListMemoriesAsync("u", new MemoryFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["food", "garden"] }, Speakers: ["Bob"]), 4, 4);
        Assert.Equal([34L, 35], next.Items.Select(m => m.Id));

        // The raw query string as documented: repeated keys are alternatives.
        var raw = await http.GetAsync(new Uri("/v1/users/u/memories?metadata.day=1&metadata.day=2&metadata.day=31&role=user&from=2024-03-02T00:00:00Z", UriKind.Relative));
        var page = await raw.ReadAsync<MemoryPage>(HttpStatusCode.OK);
        Assert.Equal([1L, 2], page.Items.Select(m => m.Id));
        Assert.Equal(2, page.Total);
        Assert.All(page.Items, m => Assert.Equal(("user", "music"), (m.Role, m.ConversationId)));

        // Without a filter: every memory, and the total counts them.
        Assert.Equal(36, (await client.ListMemoriesAsync("u", 0, 1)).Total);
    }

    public static TheoryData<string, string> BadSearchFilters() => new()
    {
        { """{"query": "q", "filter": {"from": "2024-03-05T00:00:00Z", "until": "2024-03-01T00:00:00Z"}}""", "filter.from" },
        { """{"query": "q", "filter": {"speakers": [""]}}""", "filter.speakers[0]" },
        { """{"query": "q", "filter": {"roles": [null]}}""", "filter.roles[0]" },
        { """{"query": "q", "filter": {"conversationIds": [""" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"c{i}\"")) + "]}}", "filter.conversationIds" },
        { """{"query": "q", "filter": {"metadata": {"": ["x"]}}}""", "filter.metadata" },
        { """{"query": "q", "filter": {"metadata": {"topic": [null]}}}""", "filter.metadata['topic'][0]" },
    };

    [Theory]
    [MemberData(nameof(BadSearchFilters))]
    public async Task A_bad_search_filter_is_a_400_naming_the_field_and_learns_nothing(string body, string field)
    {
        var (_, key, http) = await silo.CreateTenantAsync("filter");
        using var _ = http;
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Conversations());

        var response = await http.PostAsync(new Uri("/v1/users/u/search", UriKind.Relative), Http.Json(body));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"'{field}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetUserStatsAsync("u")).Retrievals);
    }

    [Theory]
    [InlineData("from=yesterday", "'from'")]
    [InlineData("from=2024-03-01T00:00:00Z&from=2024-03-02T00:00:00Z", "'from'")]
    [InlineData("speaker=", "'speaker'")]
    [InlineData("metadata.=x", "'metadata.'")]
    [InlineData("speakers=Bob", "'speakers' is not known")]
    [InlineData("from=2024-03-05T00:00:00Z&until=2024-03-01T00:00:00Z", "filter.from")]
    public async Task A_bad_listing_filter_is_a_400_in_the_apis_words(string query, string expected)
    {
        var (_, key, http) = await silo.CreateTenantAsync("filter");
        using var _ = http;
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Conversations());

        var response = await http.GetAsync(new Uri($"/v1/users/u/memories?{query}", UriKind.Relative));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
