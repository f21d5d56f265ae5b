using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(SiloHostGroup.Name)]
public sealed class OperatorRouteTests(SiloFactory silo)
{
    [Fact]
    public async Task Create_list_get_and_stats_of_a_tenant()
    {
        using var ops = silo.TypedClient();
        var name = "ops-" + Guid.NewGuid().ToString("N")[..8];
        var issued = await ops.CreateTenantAsync(new CreateTenantRequest(name, new TenantQuotas(MaxUsers: 5, MaxMessagesPerIngest: 50)));
        Assert.Equal(name, issued.Tenant);
        Assert.StartsWith($"hm.{name}.{issued.KeyId}.", issued.ApiKey, StringComparison.Ordinal);

        var listed = Assert.Single((await ops.ListTenantsAsync()).Tenants, t => t.Name == name);
        Assert.False(listed.Disabled);
        Assert.Equal(5, listed.Quotas.MaxUsers);
        Assert.Equal(50, listed.Quotas.MaxMessagesPerIngest);
        Assert.Equal(issued.KeyId, Assert.Single(listed.Keys).Id);
        Assert.Equal(listed, await ops.GetTenantAsync(name) with { Keys = listed.Keys });

        using var tenant = silo.TypedClient(issued.ApiKey);
        await tenant.IngestAsync("u1", Samples.Conversation());
        await tenant.SearchAsync("u1", new SearchRequest("Rex"));
        var stats = await ops.GetTenantStatsAsync(name);
        Assert.Equal(new TenantStats(name, 1, 5, stats.Retrievals, 0), stats);

        var cluster = await ops.GetClusterStatsAsync();
        Assert.Equal("Active", cluster.Status);
        Assert.StartsWith($"S127.0.0.1:{silo.SiloPort}:", cluster.Silo, StringComparison.Ordinal);
        Assert.True(cluster.Tenants >= 1);
        Assert.Equal(silo.DataDirectory, cluster.DataDirectory);
    }

    [Fact]
    public async Task Duplicate_or_invalid_tenants_are_refused_and_change_nothing()
    {
        using var ops = silo.TypedClient();
        var name = "dup-" + Guid.NewGuid().ToString("N")[..8];
        var first = await ops.CreateTenantAsync(new CreateTenantRequest(name));
        var duplicate = await Assert.ThrowsAsync<HelaMemApiException>(() => ops.CreateTenantAsync(new CreateTenantRequest(name)));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(first.KeyId, Assert.Single((await ops.GetTenantAsync(name)).Keys).Id);

        foreach (var bad in new[] { "", "has space", "a/b", "..", new string('x', 200) })
        {
            var error = await Assert.ThrowsAsync<HelaMemApiException>(() => ops.CreateTenantAsync(new CreateTenantRequest(bad)));
            Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        }

        var badQuota = await Assert.ThrowsAsync<HelaMemApiException>(() => ops.CreateTenantAsync(new CreateTenantRequest("q-" + name, new TenantQuotas(MaxUsers: 0))));
        Assert.Equal(HttpStatusCode.BadRequest, badQuota.StatusCode);
        Assert.DoesNotContain((await ops.ListTenantsAsync()).Tenants, t => t.Name == "q-" + name);
    }

    [Fact]
    public async Task Unknown_tenants_and_keys_are_404()
    {
        using var ops = silo.TypedClient();
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.GetTenantAsync("never-created"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.DisableTenantAsync("never-created"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.IssueKeyAsync("never-created"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.GetTenantStatsAsync("never-created"))).StatusCode);
        var (tenant, _, http) = await silo.CreateTenantAsync();
        http.Dispose();
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.RevokeKeyAsync(tenant, "nokey"))).StatusCode);
    }
}
