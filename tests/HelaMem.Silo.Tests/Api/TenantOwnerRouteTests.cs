using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

/// <summary><c>GET /v1/admin/tenants/{tenant}/users</c>: a tenant's memory owners page by page, by (scope, id).</summary>
[Collection(SiloHostGroup.Name)]
public sealed class TenantOwnerRouteTests(SiloFactory silo)
{
    [Fact]
    public async Task Paging_over_25_owners_10_at_a_time_sees_each_exactly_once_in_scope_then_id_order()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync("page");
        http.Dispose();
        using var client = silo.TypedClient(apiKey);
        var message = new IngestRequest([new MessageInput("hello")]);
        List<MemoryScope> owners = [];
        for (var i = 0; i < 25; i++)
        {
            owners.Add((i % 3) switch { 0 => MemoryScope.Run($"r{i:D2}"), 1 => MemoryScope.User($"u{i:D2}"), _ => MemoryScope.Agent($"a{i:D2}") });
        }

        foreach (var owner in owners)
        {
            await client.IngestAsync(owner, message);
        }

        using var ops = silo.TypedClient();
        var seen = new List<OwnerSummary>();
        var pages = new List<int>();
        string? cursor = null;
        do
        {
            var page = await ops.ListTenantOwnersAsync(tenant, cursor, 10);
            Assert.Equal(tenant, page.Tenant);
            Assert.True(page.Complete);
            pages.Add(page.Items.Count);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal([10, 10, 5], pages);
        var scopeOrder = new Dictionary<string, int> { ["user"] = 0, ["agent"] = 1, ["run"] = 2 };
        var expected = owners.Select(o => new OwnerSummary(o.Kind, o.Id)).OrderBy(o => scopeOrder[o.Scope]).ThenBy(o => o.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, seen);

        // The default page size is 100; a page of exactly all has no next cursor.
        var all = await ops.ListTenantOwnersAsync(tenant);
        Assert.Equal(expected, all.Items);
        Assert.Null(all.NextCursor);
        Assert.Null((await ops.ListTenantOwnersAsync(tenant, limit: 25)).NextCursor);
    }

    [Fact]
    public async Task A_tenant_without_owners_has_an_empty_page_and_deleted_owners_leave_it()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync("empty");
        http.Dispose();
        using var ops = silo.TypedClient();
        var empty = await ops.ListTenantOwnersAsync(tenant);
        Assert.Empty(empty.Items);
        Assert.Null(empty.NextCursor);

        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync(MemoryScope.Agent("bot"), Samples.Conversation());
        await client.IngestAsync("alice", Samples.Conversation());
        Assert.Equal([new OwnerSummary("user", "alice"), new OwnerSummary("agent", "bot")], (await ops.ListTenantOwnersAsync(tenant)).Items);
        await client.DeleteOwnerAsync(MemoryScope.Agent("bot"));
        Assert.Equal([new OwnerSummary("user", "alice")], (await ops.ListTenantOwnersAsync(tenant)).Items);
    }

    [Theory]
    [InlineData("limit=0", "query parameter 'limit' must be an integer between 1 and 500; it is 0.")]
    [InlineData("limit=501", "query parameter 'limit' must be an integer between 1 and 500; it is 501.")]
    [InlineData("limit=ten", "query parameter 'limit' must be an integer between 1 and 500; it is 'ten'.")]
    [InlineData("cursor=not-a-cursor", "query parameter 'cursor' is not a cursor of this listing")]
    [InlineData("cursor=bzE6Ym90fng", "query parameter 'cursor' is not a cursor of this listing")]
    [InlineData("cursor=YWxpY2U", "query parameter 'cursor' is not a cursor of this listing")]
    public async Task A_bad_cursor_or_limit_is_a_400_naming_the_parameter(string query, string expected)
    {
        var (tenant, _, http) = await silo.CreateTenantAsync("badq");
        http.Dispose();
        using var ops = silo.OperatorHttp();
        var response = await ops.GetAsync(new Uri($"/v1/admin/tenants/{tenant}/users?{query}", UriKind.Relative));
        var detail = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.StartsWith(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Int32", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_or_invalid_tenants_and_tenant_keys_are_refused()
    {
        using var ops = silo.TypedClient();
        var unknown = await Assert.ThrowsAsync<HelaMemApiException>(() => ops.ListTenantOwnersAsync("nobody-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var invalid = await Assert.ThrowsAsync<HelaMemApiException>(() => ops.ListTenantOwnersAsync("a b"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        // A tenant's own key is not the operator's.
        var (tenant, _, http) = await silo.CreateTenantAsync("own");
        using var _ = http;
        var response = await http.GetAsync(new Uri($"/v1/admin/tenants/{tenant}/users", UriKind.Relative));
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
