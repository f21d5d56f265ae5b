using System.Net;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(SiloHostGroup.Name)]
public sealed class QuotaTests(SiloFactory silo)
{
    [Fact]
    public async Task The_user_quota_refuses_a_new_user_naming_the_quota_and_keeps_existing_users_working()
    {
        var (tenant, _, http) = await silo.CreateTenantAsync(quotas: new TenantQuotas(MaxUsers: 1));
        using var _ = http;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync(new Uri("/v1/users/first/messages", UriKind.Relative), Http.Json(Samples.Conversation()))).StatusCode);

        var refused = await http.PostAsync(new Uri("/v1/users/second/messages", UriKind.Relative), Http.Json(Samples.Conversation()));
        var problem = await refused.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("maxUsers", problem.GetProperty("quota").GetString());
        Assert.Contains("1 users", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync(new Uri("/v1/users/first/messages", UriKind.Relative), Http.Json(Samples.Conversation()))).StatusCode);
        await (await http.GetAsync(new Uri("/v1/users/second/stats", UriKind.Relative))).ProblemAsync(HttpStatusCode.NotFound);
        using var ops = silo.TypedClient();
        var usage = await ops.GetTenantStatsAsync(tenant);
        Assert.Equal((1, 10), (usage.Users, usage.MessagesIngested));
    }
}

/// <summary>A silo whose tenants may send 3 requests, refilled one per hour: the 4th is refused, deterministically.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly SiloFactory _silo = new(new Dictionary<string, string?>
    {
        ["HelaMem:RateLimit:TokenLimit"] = "3",
        ["HelaMem:RateLimit:TokensPerPeriod"] = "1",
        ["HelaMem:RateLimit:PeriodSeconds"] = "3600",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_tenant_over_its_rate_gets_429_with_retry_after_and_other_tenants_are_unaffected()
    {
        var (_, _, noisy) = await _silo.CreateTenantAsync("noisy");
        var (_, _, quiet) = await _silo.CreateTenantAsync("quiet");
        using var _n = noisy;
        using var _q = quiet;
        Assert.Equal(HttpStatusCode.Created, (await noisy.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(Samples.Conversation()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await noisy.GetAsync(new Uri("/v1/users/u/stats", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await noisy.GetAsync(new Uri("/v1/users/u/stats", UriKind.Relative))).StatusCode);

        var refused = await noisy.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(Samples.Conversation()));
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rateLimit", problem.GetProperty("quota").GetString());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Created, (await quiet.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(Samples.Conversation()))).StatusCode);

        // The refused ingest stored nothing: the noisy user still has the first batch only (read through the operator view).
        using var ops = _silo.TypedClient();
        var tenants = await ops.ListTenantsAsync();
        var noisyName = tenants.Tenants.Single(t => t.Name.StartsWith("noisy", StringComparison.Ordinal)).Name;
        Assert.Equal(5, (await ops.GetTenantStatsAsync(noisyName)).MessagesIngested);
    }

    [Fact]
    public async Task A_batch_search_costs_one_request_per_search()
    {
        var (_, _, http) = await _silo.CreateTenantAsync("batchy");
        using var _ = http;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync(new Uri("/v1/users/u/messages", UriKind.Relative), Http.Json(Samples.Conversation()))).StatusCode);

        // Two tokens left: a batch of three searches needs three, and is refused without running any of them.
        var body = Http.Json("""{"searches": [{"query": "Rex"}, {"query": "Lisbon"}, {"query": "violin"}]}""");
        var refused = await http.PostAsync(new Uri("/v1/users/u/search/batch", UriKind.Relative), body);
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rateLimit", problem.GetProperty("quota").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        // The refused batch counted as the one request it was (as a refused search would not have): one token is left,
        // for one search, and nothing was learned by the refused batch.
        var single = await http.PostAsync(new Uri("/v1/users/u/search", UriKind.Relative), Http.Json("""{"query": "Rex"}"""));
        Assert.Equal(1, (await single.ReadAsync<SearchResult>(HttpStatusCode.OK)).RetrievalId);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.GetAsync(new Uri("/v1/users/u/stats", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Operator_routes_on_a_tenants_memory_have_a_bucket_per_tenant_apart_from_the_tenants_own()
    {
        var (busy, _, busyHttp) = await _silo.CreateTenantAsync("busy");
        var (other, _, otherHttp) = await _silo.CreateTenantAsync("other");
        using var _b = busyHttp;
        otherHttp.Dispose();
        using var ops = _silo.OperatorHttp();
        var list = new Uri($"/v1/admin/tenants/{busy}/users", UriKind.Relative);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync(list)).StatusCode);
        }

        var refused = await ops.GetAsync(list);
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rateLimit", problem.GetProperty("quota").GetString());
        Assert.Contains($"operator sent too many requests about tenant '{busy}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);

        // The delete of that tenant is refused too (nothing deleted); another tenant's and the tenant's own buckets are full.
        await (await ops.DeleteAsync(new Uri($"/v1/admin/tenants/{busy}", UriKind.Relative))).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync(new Uri($"/v1/admin/tenants/{other}/users", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await busyHttp.PostAsync(new Uri("/v1/agents/bot/messages", UriKind.Relative), Http.Json(Samples.Conversation()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync(new Uri($"/v1/admin/tenants/{busy}", UriKind.Relative))).StatusCode);
    }
}
