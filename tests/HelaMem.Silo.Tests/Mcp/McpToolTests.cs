using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Client.Mcp;
using HelaMem.Silo.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>
/// The silo's MCP endpoint (<c>/mcp</c>, Streamable HTTP) through the SDK's own client: the nine tools, a whole round
/// trip, refusals in the HTTP API's words that change nothing, and tenant isolation. Filters, ingest options, updates
/// and history: <see cref="McpToolOptionTests"/>.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class McpToolTests(SiloFactory silo)
{
    private static readonly string[] ToolNames =
        ["add_memories", "search_memories", "get_profile", "list_memories", "get_memory", "delete_memory", "report_usage", "update_memory", "memory_history"];

    [Fact]
    public async Task Lists_the_nine_tools_with_descriptions_and_input_and_output_schemas()
    {
        var (_, key, http) = await silo.CreateTenantAsync();
        http.Dispose();
        await using var client = await McpConnections.ConnectAsync(silo, key);
        Assert.Equal(MemoryToolText.ServerName, client.ServerInfo?.Name);
        Assert.False(string.IsNullOrWhiteSpace(client.ServerInstructions));

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);
        Assert.Equal(ToolNames.Order(StringComparer.Ordinal), tools.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tool) in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), $"{name} has no description");
            Assert.False(string.IsNullOrWhiteSpace(tool.Title), $"{name} has no title");
            var input = tool.InputSchema;
            Assert.Equal("object", input.GetProperty("type").GetString());
            foreach (var property in input.GetProperty("properties").EnumerateObject())
            {
                Assert.False(string.IsNullOrWhiteSpace(property.Value.GetProperty("description").GetString()), $"{name}.{property.Name} has no description");
            }

            Assert.Contains("user", Required(input));
            Assert.Equal("object", tool.OutputSchema!.Value.GetProperty("type").GetString());
        }

        Assert.Equal(["user", "messages"], Required(tools["add_memories"].InputSchema));
        Assert.Equal(["deduplicate", "idempotencyKey"], Optional(tools["add_memories"].InputSchema));
        Assert.Equal(["user", "query"], Required(tools["search_memories"].InputSchema));
        Assert.Equal(["topK", "includeSemantic", "explain", "filter"], Optional(tools["search_memories"].InputSchema));
        Assert.Equal(["user"], Required(tools["get_profile"].InputSchema));
        Assert.Equal(["offset", "limit", "filter"], Optional(tools["list_memories"].InputSchema));
        Assert.Equal(["user", "id"], Required(tools["get_memory"].InputSchema));
        Assert.Equal(["user", "id"], Required(tools["delete_memory"].InputSchema));
        Assert.Equal(["user", "retrievalId", "nodeIds"], Required(tools["report_usage"].InputSchema));
        Assert.Equal(["user", "id"], Required(tools["update_memory"].InputSchema));
        Assert.Equal(["content", "metadata"], Optional(tools["update_memory"].InputSchema));
        Assert.Equal(["user", "id"], Required(tools["memory_history"].InputSchema));

        // The filter's fields as the HTTP body's filter spells them, for search and listing alike.
        foreach (var name in new[] { "search_memories", "list_memories" })
        {
            var filter = tools[name].InputSchema.GetProperty("properties").GetProperty("filter");
            Assert.Equal(["metadata", "conversationIds", "speakers", "roles", "from", "until"], filter.GetProperty("properties").EnumerateObject().Select(p => p.Name));
            Assert.Contains("\"speakers\": [\"Alice\"]", filter.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        // A message's fields as the HTTP body spells them.
        var message = tools["add_memories"].InputSchema.GetProperty("properties").GetProperty("messages").GetProperty("items");
        Assert.Equal(["content", "speaker", "role", "timestamp", "conversationId", "metadata"], message.GetProperty("properties").EnumerateObject().Select(p => p.Name));

        // Hints for clients that ask before running a tool.
        Assert.True(tools["delete_memory"].Annotations?.DestructiveHint);
        Assert.All(["get_profile", "list_memories", "get_memory", "memory_history"], name => Assert.True(tools[name].Annotations?.ReadOnlyHint, name));
        Assert.All(["add_memories", "search_memories", "report_usage", "update_memory"], name => Assert.False(tools[name].Annotations?.DestructiveHint, name));

        // An update keeps the version it replaces (so it is not destructive), and repeating it changes nothing more.
        Assert.True(tools["update_memory"].Annotations?.IdempotentHint);
        Assert.NotEqual(true, tools["update_memory"].Annotations?.ReadOnlyHint);
    }

    [Fact]
    public async Task Add_search_profile_list_get_report_and_delete_answer_as_the_http_api_does()
    {
        var (_, key, http) = await silo.CreateTenantAsync();
        using var _ = http;
        await using var client = await McpConnections.ConnectAsync(silo, key);

        var added = await client.CallAsync("add_memories", new() { ["user"] = "alice", ["messages"] = Messages(Samples.Conversation()) });
        Assert.Equal("alice", added.GetProperty("user").GetString());
        Assert.Equal([0L, 1, 2, 3, 4], added.GetProperty("nodeIds").EnumerateArray().Select(id => id.GetInt64()));
        Assert.Equal(5, added.GetProperty("nodeCount").GetInt64());

        var found = (await client.CallAsync("search_memories", new() { ["user"] = "alice", ["query"] = "What is the name of Alice's puppy?", ["topK"] = 3, ["explain"] = true }))
            .Deserialize<SearchResult>(HelaMemClient.SerializerOptions)!;
        Assert.InRange(found.Items.Count, 1, 3);
        var rex = Assert.Single(found.Items, item => item.Content.Contains("Rex", StringComparison.Ordinal) && item.Id == 0);
        Assert.Equal("D1:1", rex.Metadata["dia_id"]);
        Assert.NotNull(rex.Explanation);
        Assert.Contains("Rex", found.Context, StringComparison.Ordinal);

        // Profile, page and memory: the tool's structured content is the HTTP response's JSON.
        Assert.True(JsonElement.DeepEquals(await HttpJsonAsync(http, "/v1/users/alice/profile"), await client.CallAsync("get_profile", new() { ["user"] = "alice" })));
        var page = await client.CallAsync("list_memories", new() { ["user"] = "alice", ["offset"] = 1, ["limit"] = 2 });
        Assert.True(JsonElement.DeepEquals(await HttpJsonAsync(http, "/v1/users/alice/memories?offset=1&limit=2"), page));
        Assert.Equal([1L, 2], page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        var memory = await client.CallAsync("get_memory", new() { ["user"] = "alice", ["id"] = 0 });
        Assert.True(JsonElement.DeepEquals(await HttpJsonAsync(http, "/v1/users/alice/memories/0"), memory));
        Assert.Equal(1, memory.GetProperty("accessCount").GetInt32());

        var usage = await client.CallAsync("report_usage", new() { ["user"] = "alice", ["retrievalId"] = found.RetrievalId, ["nodeIds"] = new[] { rex.Id } });
        Assert.Equal(found.RetrievalId, usage.GetProperty("retrievalId").GetInt64());
        Assert.Equal([rex.Id], usage.GetProperty("nodeIds").EnumerateArray().Select(id => id.GetInt64()));

        var deleted = await client.CallAsync("delete_memory", new() { ["user"] = "alice", ["id"] = 0 });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal("Unknown memory (404): User 'alice' has no memory 0.", await client.RefusedAsync("get_memory", new() { ["user"] = "alice", ["id"] = 0 }));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/v1/users/alice/memories/0", UriKind.Relative))).StatusCode);
        var after = await client.CallAsync("search_memories", new() { ["user"] = "alice", ["query"] = "What is the name of Alice's puppy?" });
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetInt64() == 0);
    }

    [Fact]
    public async Task Bad_input_is_a_tool_error_with_the_http_apis_message_and_changes_nothing()
    {
        var (_, key, http) = await silo.CreateTenantAsync();
        using var _ = http;
        await using var client = await McpConnections.ConnectAsync(silo, key);
        await client.CallAsync("add_memories", new() { ["user"] = "bob", ["messages"] = Messages(Samples.Conversation()) });
        var before = await HttpJsonAsync(http, "/v1/users/bob/stats");

        // The same refusal through both doors: the tool error is the problem's title, status and detail.
        Assert.Equal(await RefusalAsync(http, "/v1/users/bob/search", new { query = "" }),
            await client.RefusedAsync("search_memories", new() { ["user"] = "bob", ["query"] = "" }));
        Assert.Equal(await RefusalAsync(http, "/v1/users/bob/search", new { query = "puppy", topK = 0 }),
            await client.RefusedAsync("search_memories", new() { ["user"] = "bob", ["query"] = "puppy", ["topK"] = 0 }));
        Assert.Equal(await RefusalAsync(http, "/v1/users/nobody/search", new { query = "puppy" }),
            await client.RefusedAsync("search_memories", new() { ["user"] = "nobody", ["query"] = "puppy" }));
        Assert.Equal("Unknown user (404): User 'nobody' has no memories.", await client.RefusedAsync("get_profile", new() { ["user"] = "nobody" }));
        Assert.Equal(await RefusalAsync(http, "/v1/users/bob/messages", new { messages = new[] { new { content = "fine" }, new { content = " " } } }),
            await client.RefusedAsync("add_memories", new() { ["user"] = "bob", ["messages"] = new[] { new { content = "fine" }, new { content = " " } } }));
        Assert.Equal("Bad request (400): query parameter 'limit' is 0; it must be between 1 and 500.", await client.RefusedAsync("list_memories", new() { ["user"] = "bob", ["limit"] = 0 }));
        Assert.StartsWith("Bad request (400): Invalid user id 'a/b': it contains '/'", await client.RefusedAsync("get_profile", new() { ["user"] = "a/b" }), StringComparison.Ordinal);
        Assert.Equal("Bad request (400): Memory 99 does not exist for user 'bob'.",
            await client.RefusedAsync("report_usage", new() { ["user"] = "bob", ["retrievalId"] = 1, ["nodeIds"] = new[] { 99 } }));

        // Arguments the tool cannot read: which one, and what it must be.
        Assert.Equal("Bad request (400): argument 'query' is required.", await client.RefusedAsync("search_memories", new() { ["user"] = "bob" }));
        Assert.Equal("Bad request (400): argument 'topK' must be an integer; it is the string \"five\".",
            await client.RefusedAsync("search_memories", new() { ["user"] = "bob", ["query"] = "puppy", ["topK"] = "five" }));
        Assert.Equal("Bad request (400): argument 'topK' must be an integer from -2147483648 to 2147483647; it is 99999999999.",
            await client.RefusedAsync("search_memories", new() { ["user"] = "bob", ["query"] = "puppy", ["topK"] = 99_999_999_999 }));
        Assert.Equal("Bad request (400): argument 'user' must be a string; it is null.", await client.RefusedAsync("get_profile", new() { ["user"] = null }));
        Assert.Equal("Bad request (400): argument 'messages[0].timestamp' must be a date-time in ISO 8601 (for example 2024-05-01T09:00:00Z); it is the string \"yesterday\".",
            await client.RefusedAsync("add_memories", new() { ["user"] = "bob", ["messages"] = new[] { new { content = "x", timestamp = "yesterday" } } }));
        Assert.Equal("Bad request (400): argument 'messages[0].metadata['dia_id']' must be a string; it is 7.",
            await client.RefusedAsync("add_memories", new() { ["user"] = "bob", ["messages"] = new[] { new { content = "x", metadata = new { dia_id = 7 } } } }));

        // Numbers as strings are read as the HTTP API reads them.
        Assert.Equal(2, (await client.CallAsync("get_memory", new() { ["user"] = "bob", ["id"] = "2" })).GetProperty("id").GetInt64());

        // Nothing was stored, searched or learned by the refused calls (get_memory reads only).
        Assert.True(JsonElement.DeepEquals(before, await HttpJsonAsync(http, "/v1/users/bob/stats")));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/v1/users/nobody/stats", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_users_through_mcp()
    {
        var (_, keyA, httpA) = await silo.CreateTenantAsync("a");
        var (_, keyB, httpB) = await silo.CreateTenantAsync("b");
        using var _a = httpA;
        using var _b = httpB;
        await using var a = await McpConnections.ConnectAsync(silo, keyA);
        await using var b = await McpConnections.ConnectAsync(silo, keyB);
        await a.CallAsync("add_memories", new() { ["user"] = "carol", ["messages"] = Messages(Samples.Conversation()) });

        // Another tenant's user does not exist for b, whichever tool asks.
        const string Unknown = "Unknown user (404): User 'carol' has no memories.";
        Assert.Equal(Unknown, await b.RefusedAsync("search_memories", new() { ["user"] = "carol", ["query"] = "puppy" }));
        Assert.Equal(Unknown, await b.RefusedAsync("get_profile", new() { ["user"] = "carol" }));
        Assert.Equal(Unknown, await b.RefusedAsync("list_memories", new() { ["user"] = "carol" }));
        Assert.Equal(Unknown, await b.RefusedAsync("get_memory", new() { ["user"] = "carol", ["id"] = 0 }));
        Assert.Equal(Unknown, await b.RefusedAsync("delete_memory", new() { ["user"] = "carol", ["id"] = 0 }));
        Assert.Equal(Unknown, await b.RefusedAsync("report_usage", new() { ["user"] = "carol", ["retrievalId"] = 1, ["nodeIds"] = new[] { 0 } }));

        // b's own "carol" is a different user; a's is untouched.
        var own = await b.CallAsync("add_memories", new() { ["user"] = "carol", ["messages"] = new[] { new { content = "Carol of tenant b likes chess." } } });
        Assert.Equal(1, own.GetProperty("nodeCount").GetInt64());
        var bPage = await b.CallAsync("list_memories", new() { ["user"] = "carol" });
        Assert.Equal(["Carol of tenant b likes chess."], bPage.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        var aPage = await a.CallAsync("list_memories", new() { ["user"] = "carol" });
        Assert.Equal(5, aPage.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain(aPage.GetProperty("items").EnumerateArray(), m => m.GetProperty("content").GetString()!.Contains("chess", StringComparison.Ordinal));
    }

    /// <summary>The messages of <paramref name="request"/> as the tool's argument (the wire format's JSON).</summary>
    internal static JsonElement Messages(IngestRequest request) => JsonSerializer.SerializeToElement(request.Messages, HelaMemClient.SerializerOptions);

    private static string[] Required(JsonElement schema) =>
        [.. schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!)];

    private static string[] Optional(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Except(Required(schema))];

    /// <summary>GETs <paramref name="path"/>; asserts 200; returns the body.</summary>
    internal static async Task<JsonElement> HttpJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>What the HTTP API answers to the same request, as a tool error's text.</summary>
    internal static Task<string> RefusalAsync<T>(HttpClient http, string path, T body) =>
        RefusalAsync(http, HttpMethod.Post, path, body);

    /// <summary>What the HTTP API answers to <paramref name="method"/> <paramref name="path"/> with a JSON body, as a tool error's text.</summary>
    internal static async Task<string> RefusalAsync<T>(HttpClient http, HttpMethod method, string path, T body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body, options: HelaMemClient.SerializerOptions) };
        using var response = await http.SendAsync(request);
        Assert.False(response.IsSuccessStatusCode, $"{method} {path} was expected to be refused");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return MemoryToolText.Refusal(problem.GetProperty("status").GetInt32(), problem.GetProperty("title").GetString()!, problem.GetProperty("detail").GetString()!);
    }
}
