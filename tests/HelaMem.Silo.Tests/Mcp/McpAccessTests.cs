using System.Net;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>The MCP endpoint is authenticated exactly like the tenant routes: a tenant API key, and only that.</summary>
[Collection(SiloHostGroup.Name)]
public sealed class McpAuthenticationTests(SiloFactory silo)
{
    [Fact]
    public async Task Connecting_without_a_valid_tenant_key_is_refused_with_401()
    {
        var (tenant, key, http) = await silo.CreateTenantAsync();
        http.Dispose();
        var unknownKey = $"hm.{tenant}.000000000000.{new string('x', 43)}";
        foreach (var presented in new[] { null, "not-a-key", unknownKey, silo.ConfiguredOperatorKey, key + "x" })
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => McpConnections.ConnectAsync(silo, presented));
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{presented ?? "no key"}: {refused.Message}");
        }
    }

    [Fact]
    public async Task A_disabled_tenant_is_refused_with_403_until_it_is_enabled()
    {
        var (tenant, key, http) = await silo.CreateTenantAsync();
        http.Dispose();
        using var ops = silo.TypedClient();
        await ops.DisableTenantAsync(tenant);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => McpConnections.ConnectAsync(silo, key));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("disabled", refused.Message, StringComparison.Ordinal);

        await ops.EnableTenantAsync(tenant);
        await using var client = await McpConnections.ConnectAsync(silo, key);
        Assert.Equal(9, (await client.ListToolsAsync()).Count);
    }
}

/// <summary>A silo whose tenants may send 3 requests an hour: the MCP endpoint draws on the tenant's one bucket.</summary>
public sealed class McpRateLimitTests : IAsyncLifetime
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
    public async Task A_tenant_that_spent_its_rate_on_the_http_routes_is_refused_with_429_at_the_mcp_endpoint()
    {
        var (_, noisyKey, noisy) = await _silo.CreateTenantAsync("noisy");
        var (_, quietKey, quiet) = await _silo.CreateTenantAsync("quiet");
        using var _n = noisy;
        using var _q = quiet;
        for (var i = 0; i < 3; i++)
        {
            await noisy.GetAsync(new Uri("/v1/users/u/stats", UriKind.Relative));
        }

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => McpConnections.ConnectAsync(_silo, noisyKey));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("rateLimit", refused.Message, StringComparison.Ordinal);

        // Another tenant's bucket is its own: it connects and its call goes through.
        await using var client = await McpConnections.ConnectAsync(_silo, quietKey);
        Assert.Equal(1, (await client.CallAsync("add_memories", new() { ["user"] = "u", ["messages"] = new[] { new { content = "hello" } } })).GetProperty("nodeCount").GetInt64());
    }
}
