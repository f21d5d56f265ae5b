using System.Net;
using System.Text;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(SiloHostGroup.Name)]
public sealed class BadInputTests(SiloFactory silo)
{
    public static TheoryData<string, string> BadIngestBodies() => new()
    {
        { "malformed JSON", "{\"messages\": [ {\"content\": \"hi\" }" },
        { "not an object", "[1, 2, 3]" },
        { "wrong type of messages", "{\"messages\": \"hello\"}" },
        { "wrong type of content", "{\"messages\": [{\"content\": 42}]}" },
        { "wrong type of timestamp", "{\"messages\": [{\"content\": \"hi\", \"timestamp\": \"yesterday\"}]}" },
        { "missing messages", "{}" },
        { "empty messages", "{\"messages\": []}" },
        { "null message", "{\"messages\": [null]}" },
        { "empty content", "{\"messages\": [{\"content\": \"\"}]}" },
        { "blank content", "{\"messages\": [{\"content\": \"   \\n\\t \"}]}" },
        { "NUL in content", "{\"messages\": [{\"content\": \"a\\u0000b\"}]}" },
        { "lone surrogate", "{\"messages\": [{\"content\": \"a\\ud800b\"}]}" },
        { "null metadata value", "{\"messages\": [{\"content\": \"hi\", \"metadata\": {\"dia_id\": null}}]}" },
        { "metadata value not a string", "{\"messages\": [{\"content\": \"hi\", \"metadata\": {\"dia_id\": 3}}]}" },
        { "empty body", "" },
    };

    [Theory]
    [MemberData(nameof(BadIngestBodies))]
    public async Task Bad_ingest_bodies_are_400_and_store_nothing(string why, string body)
    {
        var (_, _, http) = await silo.CreateTenantAsync();
        using var _ = http;
        var response = await http.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(body));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), why);
        await AssertNoUserAsync(http, "u");
    }

    public static TheoryData<string, string, string> WrongJsonTypes() => new()
    {
        { "/search", "{\"query\": \"rex\", \"topK\": \"ten\"}", "field 'topK' must be an integer between 1 and 100" },
        { "/search", "{\"query\": \"rex\", \"topK\": 1.5}", "field 'topK' must be an integer between 1 and 100" },
        { "/search", "{\"query\": \"rex\", \"topK\": 99999999999}", "field 'topK' must be an integer between 1 and 100" },
        { "/search", "{\"query\": 7}", "field 'query' must be a string" },
        { "/search", "{\"query\": \"rex\", \"explain\": \"yes\"}", "field 'explain' must be true or false" },
        { "/search", "{\"query\": \"rex\", \"now\": \"yesterday\"}", "field 'now' must be a date-time" },
        { "/messages", "{\"messages\": [{\"content\": \"a\"}, {\"content\": \"b\"}, {\"content\": \"c\"}, {\"content\": 42}]}", "field 'messages[3].content' must be a string" },
        { "/messages", "{\"messages\": \"hello\"}", "field 'messages' must be an array of objects" },
        { "/messages", "{\"messages\": [{\"content\": \"hi\", \"timestamp\": \"yesterday\"}]}", "field 'messages[0].timestamp' must be a date-time in ISO 8601" },
        { "/messages", "{\"messages\": [{\"content\": \"hi\", \"metadata\": {\"dia_id\": 3}}]}", "field 'messages[0].metadata.dia_id' must be a string" },
        { "/messages", "[1, 2, 3]", "The body must be a JSON object" },
        { "/messages", "{\"messages\": [ {\"content\": \"hi\" }", "The body is not valid JSON (the error is at field 'messages" },
        { "/messages", "", "The body is missing; send a JSON object" },
        { "/usage", "{\"retrievalId\": \"x\", \"nodeIds\": [1]}", "field 'retrievalId' must be an integer of at least 1" },
        { "/usage", "{\"retrievalId\": 1, \"nodeIds\": [\"a\"]}", "field 'nodeIds[0]' must be an integer" },
    };

    [Theory]
    [MemberData(nameof(WrongJsonTypes))]
    public async Task Unreadable_bodies_name_the_field_and_the_rule_without_framework_internals(string route, string body, string expected)
    {
        var (_, apiKey, http) = await silo.CreateTenantAsync();
        using var _ = http;
        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync("u", Samples.Conversation());
        var before = await client.GetUserStatsAsync("u");

        var response = await http.PostAsync(new Uri("/v1/users/u" + route, UriKind.Relative), Http.Json(body));
        var detail = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        foreach (var internals in new[] { "System.", "LineNumber", "BytePosition", "Path: $", "parameter \"", "Nullable" })
        {
            Assert.DoesNotContain(internals, detail, StringComparison.Ordinal);
        }

        Assert.Equal(before, await client.GetUserStatsAsync("u"));
    }

    [Theory]
    [InlineData("?limit=abc", "query parameter 'limit' must be an integer between 1 and 500")]
    [InlineData("?offset=x", "query parameter 'offset' must be an integer of at least 0")]
    public async Task Unreadable_query_parameters_name_the_parameter_and_the_rule(string query, string expected)
    {
        var (_, apiKey, http) = await silo.CreateTenantAsync();
        using var _ = http;
        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync("u", Samples.Conversation());
        var response = await http.GetAsync(new Uri("/v1/users/u/memories" + query, UriKind.Relative));
        var detail = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("int?", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_400_and_stores_nothing()
    {
        var (_, _, http) = await silo.CreateTenantAsync();
        using var _ = http;
        var bytes = Encoding.UTF8.GetBytes("{\"messages\": [{\"content\": \"caf\u00e9 X\"}]}");
        var index = Array.IndexOf(bytes, (byte)'X');
        bytes[index] = 0xFF; // never valid in UTF-8
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await http.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), content);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        await AssertNoUserAsync(http, "u");
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        var (_, _, http) = await silo.CreateTenantAsync();
        using var _ = http;
        var response = await http.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), new StringContent("content=hi", Encoding.UTF8, "text/plain"));
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await AssertNoUserAsync(http, "u");
    }

    [Theory]
    [InlineData("has%20space", "' '")]
    [InlineData("x%21y", "'!'")]
    [InlineData("a%2Fb", "'/'")]
    [InlineData("%C3%A9", "'é'")]
    [InlineData("a%01b", "'\\u0001'")]
    public async Task Invalid_user_ids_are_a_400_naming_the_rule_and_store_nothing(string user, string shown)
    {
        var (tenant, _, http) = await silo.CreateTenantAsync();
        using var _ = http;
        var response = await http.PostAsync(new Uri($"/v1/users/{user}/messages", UriKind.Relative), Http.Json(Samples.Conversation()));
        var detail = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.StartsWith("Invalid user id", detail, StringComparison.Ordinal);
        Assert.Contains(shown, detail, StringComparison.Ordinal);
        Assert.Contains("a user id is 1–128 characters: letters, digits, '-', '_', '.' and '@', and not '.' or '..'", detail, StringComparison.Ordinal);
        await AssertNothingStoredAsync(tenant);
    }

    [Fact]
    public async Task Too_long_user_id_is_a_400_naming_the_rule()
    {
        var (tenant, _, http) = await silo.CreateTenantAsync();
        using var _ = http;
        var response = await http.PostAsync(new Uri($"/v1/users/{new string('a', 129)}/messages", UriKind.Relative), Http.Json(Samples.Conversation()));
        var detail = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.Contains("129 characters long", detail, StringComparison.Ordinal);
        await AssertNothingStoredAsync(tenant);
    }

    [Theory]
    [InlineData("POST", "/v1/users/./messages", "/v1/users/messages", ".")]
    [InlineData("POST", "/v1/users/../messages", "/v1/messages", "..")]
    [InlineData("DELETE", "/v1/users/../", "/v1/", "..")]
    [InlineData("POST", "/v1/users/%2e%2e/search", "/v1/search", "..")]
    [InlineData("POST", "/v1/users/u%00x/messages", "/v1/users/u\0x/messages", "u\\u0000x")]
    public async Task Dot_and_NUL_user_ids_are_a_400_as_the_request_target_was_sent(string method, string sent, string normalized, string user)
    {
        // HttpClient normalizes "." and ".." away before sending; curl --path-as-is and other clients do not, and Kestrel
        // then hands the app the normalized path with the request target as sent: simulate exactly that. (Kestrel itself
        // refuses a target with %00 before the app runs; a server that passes it on gets the API's answer.)
        var (tenant, apiKey, http) = await silo.CreateTenantAsync();
        http.Dispose();
        var context = await silo.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = normalized;
            c.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = sent;
            c.Request.Headers.Authorization = $"Bearer {apiKey}";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"messages\": [{\"content\": \"hi\"}], \"query\": \"hi\"}"));
        });
        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
        var detail = System.Text.Json.JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith($"Invalid user id '{user}'", detail, StringComparison.Ordinal);
        Assert.Contains("not '.' or '..'", detail, StringComparison.Ordinal);
        await AssertNothingStoredAsync(tenant);
    }

    private async Task AssertNothingStoredAsync(string tenant)
    {
        using var ops = silo.TypedClient();
        var stats = await ops.GetTenantStatsAsync(tenant);
        Assert.Equal(0, stats.MessagesIngested);
        Assert.Equal(0, stats.Users);
    }

    [Fact]
    public async Task Oversized_text_batch_and_body_are_refused_naming_the_limit_and_store_nothing()
    {
        var (tenant, _, http) = await silo.CreateTenantAsync(quotas: new TenantQuotas(MaxMessagesPerIngest: 10, MaxMessageLength: 100));
        using var _ = http;
        var longText = await http.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(new IngestRequest([new MessageInput(new string('a', 101))])));
        Assert.Equal("maxMessageLength", (await longText.ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("quota").GetString());

        var batch = Enumerable.Range(0, 11).Select(i => new MessageInput($"message {i}")).ToList();
        var bigBatch = await http.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(new IngestRequest(batch)));
        Assert.Equal("maxMessagesPerIngest", (await bigBatch.ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("quota").GetString());

        var absurd = Enumerable.Range(0, 100_000).Select(i => new MessageInput("x")).ToList();
        var huge = await http.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(new IngestRequest(absurd)));
        await huge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        await AssertNoUserAsync(http, "u");
        using var ops = silo.TypedClient();
        Assert.Equal(0, (await ops.GetTenantStatsAsync(tenant)).MessagesIngested);
    }

    [Fact]
    public async Task Bad_searches_and_pages_are_400_and_unknown_users_404()
    {
        var (_, apiKey, http) = await silo.CreateTenantAsync();
        using var _ = http;
        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync("u", Samples.Conversation());
        var before = await client.GetUserStatsAsync("u");

        foreach (var body in new[] { "{\"query\": \"\"}", "{\"query\": \"   \"}", "{}", "{\"query\": 7}", "{\"query\": \"rex\", \"topK\": 0}", "{\"query\": \"rex\", \"topK\": 1000}", "{\"query\": \"rex\", \"topK\": \"ten\"}" })
        {
            var response = await http.PostAsync(new Uri("/v1/users/u/search", UriKind.Relative), Http.Json(body));
            await response.ProblemAsync(HttpStatusCode.BadRequest);
        }

        foreach (var query in new[] { "?offset=-1", "?limit=0", "?limit=100000", "?limit=abc" })
        {
            var response = await http.GetAsync(new Uri("/v1/users/u/memories" + query, UriKind.Relative));
            await response.ProblemAsync(HttpStatusCode.BadRequest);
        }

        await (await http.GetAsync(new Uri("/v1/users/u/memories/5", UriKind.Relative))).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.GetAsync(new Uri("/v1/users/u/memories/-1", UriKind.Relative))).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.PostAsync(new Uri("/v1/users/nobody/search", UriKind.Relative), Http.Json(new SearchRequest("rex")))).ProblemAsync(HttpStatusCode.NotFound);
        await AssertNoUserAsync(http, "nobody");

        // Refused searches did not count as retrievals (nothing learned, nothing changed).
        Assert.Equal(before, await client.GetUserStatsAsync("u"));
    }

    private static async Task AssertNoUserAsync(HttpClient http, string user)
    {
        var stats = await http.GetAsync(new Uri($"/v1/users/{user}/stats", UriKind.Relative));
        await stats.ProblemAsync(HttpStatusCode.NotFound);
    }
}
