using System.Net;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(SiloHostGroup.Name)]
public sealed class AuthenticationTests(SiloFactory silo)
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-key")]
    [InlineData("hm.")]
    [InlineData("hm.tenant..secret")]
    [InlineData("hm.no such tenant.abc.def")]
    [InlineData(SiloFactory.OperatorKey)]
    public async Task Tenant_routes_refuse_missing_or_malformed_keys_with_401(string? key)
    {
        using var http = silo.WithKey(key);
        var response = await http.GetAsync(new Uri("/v1/users/alice/stats", UriKind.Relative));
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Operator_routes_refuse_tenant_keys_and_wrong_operator_keys()
    {
        var (_, apiKey, tenantHttp) = await silo.CreateTenantAsync();
        using (tenantHttp)
        using (var wrong = silo.WithKey(SiloFactory.OperatorKey + "x"))
        using (var none = silo.WithKey(null))
        {
            await (await tenantHttp.GetAsync(new Uri("/v1/admin/tenants", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
            await (await wrong.GetAsync(new Uri("/v1/admin/tenants", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
            await (await none.PostAsync(new Uri("/v1/admin/tenants", UriKind.Relative), Http.Json(new CreateTenantRequest("sneaky")))).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var ops = silo.OperatorHttp();
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync(new Uri("/v1/admin/tenants/sneaky", UriKind.Relative))).StatusCode);
        Assert.NotEmpty(apiKey);
    }

    [Fact]
    public async Task A_key_with_a_wrong_secret_or_a_borrowed_tenant_name_is_refused()
    {
        var (tenantA, keyA, httpA) = await silo.CreateTenantAsync("a");
        var (tenantB, _, httpB) = await silo.CreateTenantAsync("b");
        httpA.Dispose();
        httpB.Dispose();
        var parts = keyA.Split('.');
        var wrongSecret = $"hm.{tenantA}.{parts[^2]}.{new string('0', parts[^1].Length)}";
        var borrowed = $"hm.{tenantB}.{parts[^2]}.{parts[^1]}";
        foreach (var key in new[] { wrongSecret, borrowed })
        {
            using var http = silo.WithKey(key);
            var response = await http.PostAsync(new Uri("/v1/users/u1/messages", UriKind.Relative), Http.Json(Samples.Conversation()));
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var client = silo.TypedClient();
        Assert.Equal(0, (await client.GetTenantStatsAsync(tenantA)).MessagesIngested);
        Assert.Equal(0, (await client.GetTenantStatsAsync(tenantB)).MessagesIngested);
    }

    [Fact]
    public async Task Revoked_keys_and_disabled_tenants_are_refused_until_enabled()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync();
        using var _ = http;
        using var ops = silo.TypedClient();
        var second = await ops.IssueKeyAsync(tenant);
        using var secondHttp = silo.WithKey(second.ApiKey);
        Assert.Equal(HttpStatusCode.Created, (await secondHttp.PostAsync(new Uri("/v1/users/u1/messages", UriKind.Relative), Http.Json(Samples.Conversation()))).StatusCode);

        await ops.RevokeKeyAsync(tenant, second.KeyId);
        await (await secondHttp.GetAsync(new Uri("/v1/users/u1/stats", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/users/u1/stats", UriKind.Relative))).StatusCode);

        var disabled = await ops.DisableTenantAsync(tenant);
        Assert.True(disabled.Disabled);
        var problem = await (await http.GetAsync(new Uri("/v1/users/u1/stats", UriKind.Relative))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("disabled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.False((await ops.EnableTenantAsync(tenant)).Disabled);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/users/u1/stats", UriKind.Relative))).StatusCode);
        Assert.NotEqual(apiKey, second.ApiKey);
    }
}
