using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;

namespace HelaMem.Silo.Tests.Client;

public sealed class ClientTests
{
    private const string Stats = "{\"user\":\"u\",\"nodes\":3,\"activeNodes\":3,\"archivedNodes\":0,\"step\":1,\"retrievals\":1,\"semanticItems\":0}";

    private static HelaMemClient Client(ScriptedHandler handler, int retries = 3) =>
        new(new HttpClient(handler), new HelaMemClientOptions
        {
            BaseAddress = new Uri("http://helamem.test/"),
            ApiKey = "hm.t.k.s",
            OperatorKey = "operator-key-0123456789",
            MaxRetries = retries,
            RetryBaseDelay = TimeSpan.Zero,
        });

    [Fact]
    public async Task Sends_the_tenant_key_as_bearer_and_reads_the_typed_result()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.OK, Stats));
        using var client = Client(handler);
        var stats = await client.GetUserStatsAsync("u@x");
        Assert.Equal(new UserStats("u", 3, 3, 0, 1, 1, 0), stats);
        var (request, _) = Assert.Single(handler.Requests);
        Assert.Equal("Bearer hm.t.k.s", request.Headers.Authorization!.ToString());
        Assert.Equal("http://helamem.test/v1/users/u%40x/stats", request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task Operator_calls_send_the_operator_key()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.OK, "{\"tenants\":[]}"));
        using var client = Client(handler);
        Assert.Empty((await client.ListTenantsAsync()).Tenants);
        Assert.Equal("Bearer operator-key-0123456789", handler.Requests[0].Request.Headers.Authorization!.ToString());
    }

    [Fact]
    public async Task Retries_429_honouring_retry_after_then_succeeds()
    {
        var handler = new ScriptedHandler(
            _ =>
            {
                var refused = ScriptedHandler.Json(HttpStatusCode.TooManyRequests, "{\"status\":429,\"detail\":\"slow down\"}");
                refused.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                return refused;
            },
            _ => ScriptedHandler.Json(HttpStatusCode.Created, "{\"user\":\"u\",\"nodeIds\":[0],\"nodeCount\":1}"));
        using var client = Client(handler);
        var result = await client.IngestAsync("u", new IngestRequest([new MessageInput("hello")]));
        Assert.Equal([0L], result.NodeIds);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
        Assert.Contains("\"content\":\"hello\"", handler.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_5xx_only_for_safe_calls_and_ingests_that_carry_an_idempotency_key()
    {
        var failing = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.InternalServerError, "{\"status\":500,\"detail\":\"boom\"}"));
        using (var client = Client(failing, retries: 2))
        {
            await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetUserStatsAsync("u"));
            Assert.Equal(3, failing.Requests.Count);
        }

        // A search is a learning step: repeating it would learn twice, so it is not retried after a 5xx.
        var failingSearch = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.InternalServerError, "{\"status\":500,\"detail\":\"boom\"}"));
        using (var client = Client(failingSearch, retries: 2))
        {
            await Assert.ThrowsAsync<HelaMemApiException>(() => client.SearchAsync("u", new SearchRequest("x")));
            Assert.Single(failingSearch.Requests);
        }

        // An ingest carries an idempotency key of its own, the same on every attempt, so it is retried like a GET.
        var failingIngest = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.InternalServerError, "{\"status\":500,\"detail\":\"boom\"}"));
        using (var client = Client(failingIngest, retries: 2))
        {
            await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync("u", new IngestRequest([new MessageInput("x")])));
            Assert.Equal(3, failingIngest.Requests.Count);
            var keys = failingIngest.Requests.Select(r => Assert.Single(r.Request.Headers.GetValues("Idempotency-Key"))).ToList();
            Assert.Single(keys.Distinct());
            Assert.Matches("^[0-9a-f]{32}$", keys[0]);
        }

        // Without automatic keys an ingest is not idempotent, and is sent once.
        var failingPlain = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.InternalServerError, "{\"status\":500,\"detail\":\"boom\"}"));
        using (var client = new HelaMemClient(new HttpClient(failingPlain), new HelaMemClientOptions
        {
            BaseAddress = new Uri("http://helamem.test/"),
            ApiKey = "hm.t.k.s",
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.Zero,
            AutomaticIdempotencyKeys = false,
        }))
        {
            await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync("u", new IngestRequest([new MessageInput("x")])));
            var request = Assert.Single(failingPlain.Requests).Request;
            Assert.False(request.Headers.Contains("Idempotency-Key"));
        }
    }

    [Fact]
    public async Task An_ingest_whose_answer_timed_out_is_retried_with_the_same_key()
    {
        using var handler = new FirstAnswerLost();
        using var client = new HelaMemClient(new HttpClient(handler), new HelaMemClientOptions
        {
            BaseAddress = new Uri("http://helamem.test/"),
            ApiKey = "hm.t.k.s",
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.Zero,
            Timeout = TimeSpan.FromMilliseconds(300),
        });
        var result = await client.IngestAsync("u", new IngestRequest([new MessageInput("x")]), "caller-key-1");
        Assert.True(result.Replayed);
        Assert.Equal(["caller-key-1", "caller-key-1"], handler.Keys);
    }

    // Answers the first request only after the client has given up on it (its timeout), the second at once.
    private sealed class FirstAnswerLost : HttpMessageHandler
    {
        public List<string> Keys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Keys.Add(Assert.Single(request.Headers.GetValues("Idempotency-Key")));
            if (Keys.Count == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return ScriptedHandler.Json(HttpStatusCode.Created, "{\"user\":\"u\",\"nodeIds\":[0],\"nodeCount\":1,\"replayed\":true}");
        }
    }

    [Fact]
    public async Task Problem_details_become_a_one_line_exception_with_status_and_quota()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.Forbidden,
            "{\"type\":\"about:blank\",\"title\":\"Quota exceeded\",\"status\":403,\"detail\":\"The tenant has reached its quota of 1 users;\\nuser 'b' was not created.\",\"quota\":\"maxUsers\"}"));
        using var client = Client(handler);
        var error = await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync("b", new IngestRequest([new MessageInput("x")])));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("maxUsers", error.Quota);
        Assert.Equal("POST /v1/users/b/messages failed with 403: The tenant has reached its quota of 1 users; user 'b' was not created.", error.Message);
    }

    [Fact]
    public async Task Missing_keys_fail_before_any_request()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.OK, Stats));
        using var client = new HelaMemClient(new HttpClient(handler), new HelaMemClientOptions { BaseAddress = new Uri("http://helamem.test/") });
        var error = await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetUserStatsAsync("u"));
        Assert.Contains(HelaMemClientOptions.ApiKeyVariable, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetClusterStatsAsync());
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Json(HttpStatusCode.OK, Stats));
        using var client = Client(handler);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetUserStatsAsync("u", cancelled.Token));
    }

    [Fact]
    public void Options_come_from_the_environment_contract()
    {
        var variables = new Dictionary<string, string>
        {
            [HelaMemClientOptions.UrlVariable] = "http://127.0.0.1:9999",
            [HelaMemClientOptions.ApiKeyVariable] = " key ",
            [HelaMemClientOptions.OperatorKeyVariable] = "",
        };
        var options = HelaMemClientOptions.FromEnvironment(name => variables.GetValueOrDefault(name));
        Assert.Equal(new Uri("http://127.0.0.1:9999"), options.BaseAddress);
        Assert.Equal("key", options.ApiKey);
        Assert.Null(options.OperatorKey);
        Assert.Throws<ArgumentException>(() => HelaMemClientOptions.FromEnvironment(name => name == HelaMemClientOptions.UrlVariable ? "ftp://x" : null));
    }
}
