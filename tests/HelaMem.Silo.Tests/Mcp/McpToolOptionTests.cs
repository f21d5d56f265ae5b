using System.Text.Json;
using HelaMem.Silo.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>
/// The tools' newer arguments through <c>/mcp</c>: filters on search and listing, de-duplication and idempotency keys
/// on add_memories, and update_memory with memory_history. Answers are the HTTP API's; refusals its words or the
/// argument's rule, and they change nothing.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class McpToolOptionTests(SiloFactory silo)
{
    [Fact]
    public async Task A_filtered_search_returns_only_matching_memories_and_a_bad_filter_is_a_tool_error_naming_the_field()
    {
        var (_, key, http) = await silo.CreateTenantAsync();
        using var _ = http;
        await using var client = await McpConnections.ConnectAsync(silo, key);
        await client.CallAsync("add_memories", new() { ["user"] = "erin", ["messages"] = McpToolTests.Messages(Samples.Conversation()) });
        const string Query = "Rex the puppy, the sister in Lisbon and the violin";

        // Unfiltered the search returns Alice's turns too; filtered to Bob (speakers ignore case), only Bob's.
        Assert.Contains("Alice", Speakers(await SearchAsync(client, "erin", Query, null)));
        var bob = Speakers(await SearchAsync(client, "erin", Query, new { speakers = new[] { "bob" } }));
        Assert.NotEmpty(bob);
        Assert.All(bob, speaker => Assert.Equal("Bob", speaker));

        // Metadata values are alternatives; a time range is [from, until).
        Assert.Equal(new long[] { 2, 4 }, Ids(await SearchAsync(client, "erin", Query, new { metadata = new { dia_id = new[] { "D1:3", "D1:5" } } })));
        Assert.Equal(new long[] { 1, 2 }, Ids(await SearchAsync(client, "erin", Query, new { from = "2024-05-01T09:01:00Z", until = "2024-05-01T09:03:00Z" })));

        // Bad filters: the API's words (as the HTTP route says them), or which argument is malformed and how.
        var before = await McpToolTests.HttpJsonAsync(http, "/v1/users/erin/stats");
        var backwards = new { from = "2024-06-01T00:00:00Z", until = "2024-05-01T00:00:00Z" };
        var refused = await client.RefusedAsync("search_memories", new() { ["user"] = "erin", ["query"] = Query, ["filter"] = backwards });
        Assert.Equal(await McpToolTests.RefusalAsync(http, "/v1/users/erin/search", new { query = Query, filter = backwards }), refused);
        Assert.Equal("Bad request (400): field 'filter.from' (2024-06-01T00:00:00.0000000+00:00) must be before 'filter.until' (2024-05-01T00:00:00.0000000+00:00).", refused);
        Assert.Equal("Bad request (400): argument 'filter.speakers' must be an array; it is the string \"Bob\".",
            await client.RefusedAsync("search_memories", new() { ["user"] = "erin", ["query"] = Query, ["filter"] = new { speakers = "Bob" } }));
        Assert.Equal("Bad request (400): argument 'filter.speaker' is not known; the fields of 'filter' are metadata, conversationIds, speakers, roles, from and until.",
            await client.RefusedAsync("search_memories", new() { ["user"] = "erin", ["query"] = Query, ["filter"] = new { speaker = new[] { "Bob" } } }));
        Assert.Equal("Bad request (400): argument 'filter.from' must be a date-time in ISO 8601 (for example 2024-05-01T09:00:00Z); it is the string \"last week\".",
            await client.RefusedAsync("search_memories", new() { ["user"] = "erin", ["query"] = Query, ["filter"] = new { from = "last week" } }));
        Assert.Equal("Bad request (400): argument 'filter.metadata['dia_id']' must be an array; it is the string \"D1:3\".",
            await client.RefusedAsync("search_memories", new() { ["user"] = "erin", ["query"] = Query, ["filter"] = new { metadata = new { dia_id = "D1:3" } } }));
        Assert.Equal("Bad request (400): argument 'includeSemantic' must be true or false; it is the string \"no\".",
            await client.RefusedAsync("search_memories", new() { ["user"] = "erin", ["query"] = Query, ["includeSemantic"] = "no" }));

        // Nothing was searched or learned by the refused calls.
        Assert.True(JsonElement.DeepEquals(before, await McpToolTests.HttpJsonAsync(http, "/v1/users/erin/stats")));
    }

    [Fact]
    public async Task A_filtered_listing_is_the_http_listing_with_the_same_filter()
    {
        var (_, key, http) = await silo.CreateTenantAsync();
        using var _ = http;
        await using var client = await McpConnections.ConnectAsync(silo, key);
        await client.CallAsync("add_memories", new() { ["user"] = "finn", ["messages"] = McpToolTests.Messages(Samples.Conversation()) });

        // Alice said 0, 2 and 3; the metadata condition allows 0, 2, 3 and 4: three match, a page of two.
        var filter = new { speakers = new[] { "Alice" }, metadata = new { dia_id = new[] { "D1:1", "D1:3", "D1:4", "D1:5" } } };
        var page = await client.CallAsync("list_memories", new() { ["user"] = "finn", ["limit"] = 2, ["filter"] = filter });
        Assert.True(JsonElement.DeepEquals(
            await McpToolTests.HttpJsonAsync(http, "/v1/users/finn/memories?limit=2&speaker=Alice&metadata.dia_id=D1:1&metadata.dia_id=D1:3&metadata.dia_id=D1:4&metadata.dia_id=D1:5"),
            page));
        Assert.Equal([0L, 2], page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        var next = await client.CallAsync("list_memories", new() { ["user"] = "finn", ["offset"] = 2, ["limit"] = 2, ["filter"] = filter });
        Assert.Equal([3L], next.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));

        Assert.Equal("Bad request (400): field 'filter.roles[0]' is empty; values are non-empty strings.",
            await client.RefusedAsync("list_memories", new() { ["user"] = "finn", ["filter"] = new { roles = new[] { "" } } }));
        Assert.Equal("Bad request (400): argument 'filter.conversationIds' must be an array; it is an object.",
            await client.RefusedAsync("list_memories", new() { ["user"] = "finn", ["filter"] = new { conversationIds = new { id = "conv-1" } } }));
    }

    [Fact]
    public async Task An_update_returns_the_new_version_and_the_history_holds_both()
    {
        var (_, key, http) = await silo.CreateTenantAsync();
        using var _ = http;
        await using var client = await McpConnections.ConnectAsync(silo, key);
        await client.CallAsync("add_memories", new() { ["user"] = "gina", ["messages"] = McpToolTests.Messages(Samples.Conversation()) });

        var update = new Dictionary<string, object?>
        {
            ["user"] = "gina",
            ["id"] = 3,
            ["content"] = "Alice: I am learning to play the cello on weekends.",
            ["metadata"] = new { dia_id = "D1:4", topic = "music" },
        };
        var updated = await client.CallAsync("update_memory", update);
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Equal("Alice: I am learning to play the cello on weekends.", updated.GetProperty("content").GetString());
        Assert.Equal("music", updated.GetProperty("metadata").GetProperty("topic").GetString());
        Assert.True(JsonElement.DeepEquals(await McpToolTests.HttpJsonAsync(http, "/v1/users/gina/memories/3"), updated));

        // The same update again adds no version (the tool is marked idempotent).
        Assert.Equal(2, (await client.CallAsync("update_memory", update)).GetProperty("version").GetInt32());

        var history = await client.CallAsync("memory_history", new() { ["user"] = "gina", ["id"] = 3 });
        Assert.True(JsonElement.DeepEquals(await McpToolTests.HttpJsonAsync(http, "/v1/users/gina/memories/3/history"), history));
        var versions = history.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([1, 2], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(["created", "updated"], versions.Select(v => v.GetProperty("event").GetString()));
        Assert.Contains("violin", versions[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("cello", versions[1].GetProperty("content").GetString(), StringComparison.Ordinal);

        // A search finds the memory by its new metadata and words at once.
        Assert.Equal(new long[] { 3 }, Ids(await SearchAsync(client, "gina", "cello", new { metadata = new { topic = new[] { "music" } } })));

        // Refusals in the API's words; a metadata-only update would be fine, an empty one is not.
        Assert.Equal(await McpToolTests.RefusalAsync(http, HttpMethod.Patch, "/v1/users/gina/memories/3", new { }),
            await client.RefusedAsync("update_memory", new() { ["user"] = "gina", ["id"] = 3 }));
        Assert.Equal(await McpToolTests.RefusalAsync(http, HttpMethod.Patch, "/v1/users/gina/memories/3", new { content = " " }),
            await client.RefusedAsync("update_memory", new() { ["user"] = "gina", ["id"] = 3, ["content"] = " " }));
        Assert.Equal("Unknown memory (404): User 'gina' has no memory 99.", await client.RefusedAsync("update_memory", new() { ["user"] = "gina", ["id"] = 99, ["content"] = "x" }));
        Assert.Equal("Unknown memory (404): User 'gina' has no memory 99.", await client.RefusedAsync("memory_history", new() { ["user"] = "gina", ["id"] = 99 }));
        Assert.Equal("Bad request (400): argument 'metadata['topic']' must be a string; it is 7.",
            await client.RefusedAsync("update_memory", new() { ["user"] = "gina", ["id"] = 3, ["metadata"] = new { topic = 7 } }));
        Assert.Equal(2, (await client.CallAsync("memory_history", new() { ["user"] = "gina", ["id"] = 3 })).GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_stores_once_and_deduplicate_skips_what_the_user_has()
    {
        var (_, key, http) = await silo.CreateTenantAsync();
        using var _ = http;
        await using var client = await McpConnections.ConnectAsync(silo, key);
        var messages = new[] { new { content = "Hal: my locker code is 4417." } };

        var first = await client.CallAsync("add_memories", new() { ["user"] = "hal", ["messages"] = messages, ["idempotencyKey"] = "retry-1" });
        Assert.False(first.GetProperty("replayed").GetBoolean());

        // The retry, with "deduplicate": false spelt out this time: the same request, answered with the first result.
        var retry = await client.CallAsync("add_memories", new() { ["user"] = "hal", ["messages"] = messages, ["idempotencyKey"] = "retry-1", ["deduplicate"] = false });
        Assert.True(retry.GetProperty("replayed").GetBoolean());
        Assert.Equal([0L], retry.GetProperty("nodeIds").EnumerateArray().Select(id => id.GetInt64()));
        Assert.Equal(1, (await McpToolTests.HttpJsonAsync(http, "/v1/users/hal/stats")).GetProperty("nodes").GetInt64());

        // The key with other messages, and keys that are not keys, are refused and store nothing.
        Assert.StartsWith("Idempotency key reused (422): The idempotency key 'retry-1' was used at ",
            await client.RefusedAsync("add_memories", new() { ["user"] = "hal", ["messages"] = new[] { new { content = "Hal: something else." } }, ["idempotencyKey"] = "retry-1" }),
            StringComparison.Ordinal);
        Assert.Equal("Bad request (400): argument 'idempotencyKey' contains the character U+0020; it must be 1–255 printable ASCII characters (no spaces).",
            await client.RefusedAsync("add_memories", new() { ["user"] = "hal", ["messages"] = messages, ["idempotencyKey"] = "retry 2" }));
        Assert.Equal("Bad request (400): argument 'idempotencyKey' is 256 characters long; it must be 1–255 printable ASCII characters.",
            await client.RefusedAsync("add_memories", new() { ["user"] = "hal", ["messages"] = messages, ["idempotencyKey"] = new string('k', 256) }));
        Assert.Equal("Bad request (400): argument 'idempotencyKey' must be a string; it is 42.",
            await client.RefusedAsync("add_memories", new() { ["user"] = "hal", ["messages"] = messages, ["idempotencyKey"] = 42 }));
        Assert.Equal("Bad request (400): argument 'deduplicate' must be true or false; it is the string \"yes\".",
            await client.RefusedAsync("add_memories", new() { ["user"] = "hal", ["messages"] = messages, ["deduplicate"] = "yes" }));
        Assert.Equal(1, (await McpToolTests.HttpJsonAsync(http, "/v1/users/hal/stats")).GetProperty("nodes").GetInt64());

        // De-duplication: the stored message and a repeat within the batch are not stored again.
        var deduplicated = await client.CallAsync("add_memories", new()
        {
            ["user"] = "hal",
            ["messages"] = new[] { new { content = "Hal: my locker code is 4417." }, new { content = "Hal: I park on level 3." }, new { content = " Hal: I park on level 3. " } },
            ["deduplicate"] = true,
        });
        Assert.Equal([0L, 1, 1], deduplicated.GetProperty("nodeIds").EnumerateArray().Select(id => id.GetInt64()));
        Assert.Equal([0, 2], deduplicated.GetProperty("duplicates").EnumerateArray().Select(index => index.GetInt32()));
        Assert.Equal(2, deduplicated.GetProperty("nodeCount").GetInt64());
    }

    private static Task<JsonElement> SearchAsync(McpClient client, string user, string query, object? filter) =>
        client.CallAsync("search_memories", new() { ["user"] = user, ["query"] = query, ["topK"] = 100, ["includeSemantic"] = false, ["filter"] = filter });

    private static long[] Ids(JsonElement result) => [.. result.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()).Order()];

    private static string[] Speakers(JsonElement result) => [.. result.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("speaker").GetString()!)];
}
