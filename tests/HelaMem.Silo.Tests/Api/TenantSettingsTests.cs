using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

/// <summary>PUT /v1/admin/tenants/{tenant}/settings: quotas and retrieval overrides after creation.</summary>
[Collection(SiloHostGroup.Name)]
public sealed class TenantSettingsTests(SiloFactory silo)
{
    [Fact]
    public async Task A_raised_ingest_quota_applies_to_a_user_whose_graph_is_already_active()
    {
        using var ops = silo.TypedClient();
        var (tenant, key, http) = await silo.CreateTenantAsync("quota", new TenantQuotas(MaxMessagesPerIngest: 2));
        http.Dispose();
        using var client = silo.TypedClient(key);
        var three = new IngestRequest([.. Samples.Conversation().Messages!.Take(3)]);
        await client.IngestAsync("u1", new IngestRequest([.. Samples.Conversation().Messages!.Take(2)]));
        var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync("u1", three));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("maxMessagesPerIngest", refused.Quota);

        var updated = await ops.UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(new TenantQuotas(MaxUsers: 3, MaxMessagesPerIngest: 5)));
        Assert.Equal(new TenantQuotas(3, 5, 16_384), updated.Quotas);

        // u1's graph was activated with the old limit of 2: the silo reloads it, so the graph accepts 3 now.
        var result = await client.IngestAsync("u1", three);
        Assert.Equal(5, result.NodeCount);
        Assert.Equal(Settings(updated), Settings(await ops.GetTenantAsync(tenant)));
    }

    [Fact]
    public async Task Retrieval_overrides_change_k_and_m_and_a_quota_update_keeps_them()
    {
        using var ops = silo.TypedClient();
        var (tenant, key, http) = await silo.CreateTenantAsync("retr");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u1", Samples.Conversation());
        Assert.Equal(5, (await client.SearchAsync("u1", new SearchRequest("Rex the puppy"))).Items.Count);

        var updated = await ops.UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(Retrieval: new RetrievalSettings(TopK: 2, MaxFlipped: 0)));
        Assert.Equal(new RetrievalSettings(2, 0), updated.Retrieval);
        Assert.Equal(2, (await client.SearchAsync("u1", new SearchRequest("Rex the puppy"))).Items.Count);

        var quotasOnly = await ops.UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(new TenantQuotas(MaxUsers: 9)));
        Assert.Equal(new RetrievalSettings(2, 0), quotasOnly.Retrieval);
        Assert.Equal(9, quotasOnly.Quotas.MaxUsers);

        var reset = await ops.UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(Retrieval: new RetrievalSettings()));
        Assert.Equal(new RetrievalSettings(), reset.Retrieval);
        Assert.Equal(5, (await client.SearchAsync("u1", new SearchRequest("Rex the puppy"))).Items.Count);
    }

    [Theory]
    [InlineData("""{"quotas": {"maxUsers": 0}}""", "quotas.maxUsers")]
    [InlineData("""{"quotas": {"maxMessagesPerIngest": 1001}}""", "quotas.maxMessagesPerIngest")]
    [InlineData("""{"quotas": {"maxMessageLength": 0}}""", "quotas.maxMessageLength")]
    [InlineData("""{"retrieval": {"topK": 0}}""", "retrieval.topK")]
    [InlineData("""{"retrieval": {"topK": 101}}""", "retrieval.topK")]
    [InlineData("""{"retrieval": {"maxFlipped": -1}}""", "retrieval.maxFlipped")]
    [InlineData("""{"quotas": {"maxUsers": 4}, "retrieval": {"topK": 0}}""", "retrieval.topK")]
    [InlineData("""{"retrieval": {"topK": "ten"}}""", "topK")]
    [InlineData("""{}""", "quotas")]
    [InlineData("""{"retrieval": {"profile": "fast"}}""", "retrieval.profile is 'fast'; it must be one of paper, helamem")]
    [InlineData("""{"retrieval": {"profile": "Paper"}}""", "retrieval.profile")]
    public async Task Invalid_settings_are_400_naming_the_field_and_change_nothing(string body, string field)
    {
        using var ops = silo.TypedClient();
        var (tenant, _, http) = await silo.CreateTenantAsync("bad", new TenantQuotas(MaxUsers: 7));
        http.Dispose();
        var before = await ops.GetTenantAsync(tenant);
        using var operatorHttp = silo.OperatorHttp();
        var response = await operatorHttp.PutAsync(new Uri($"/v1/admin/tenants/{tenant}/settings", UriKind.Relative), Http.Json(body));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(Settings(before), Settings(await ops.GetTenantAsync(tenant)));
    }

    [Fact]
    public async Task A_profile_set_at_creation_or_later_applies_to_new_users_and_a_user_keeps_its_own()
    {
        using var ops = silo.TypedClient();
        var created = await ops.CreateTenantAsync(new CreateTenantRequest("prof-" + Guid.NewGuid().ToString("N")[..8], Retrieval: new RetrievalSettings(Profile: "paper")));
        var listed = Assert.Single((await ops.ListTenantsAsync()).Tenants, t => t.Name == created.Tenant);
        Assert.Equal("paper", listed.Retrieval?.Profile);
        Assert.Equal("paper", listed.NewUserProfile);

        using var client = silo.TypedClient(created.ApiKey);
        await client.IngestAsync("early", Samples.Conversation());
        Assert.Equal("paper", (await client.SearchAsync("early", new SearchRequest("Rex the puppy"))).RetrievalProfile);

        // The change reloads the tenant's active graphs; "early" was created under paper and stays so.
        var updated = await ops.UpdateTenantSettingsAsync(created.Tenant, new TenantSettingsUpdate(Retrieval: new RetrievalSettings(Profile: "helamem")));
        Assert.Equal(new RetrievalSettings(Profile: "helamem"), updated.Retrieval);
        await client.IngestAsync("late", Samples.Conversation());
        Assert.Equal("helamem", (await client.SearchAsync("late", new SearchRequest("Rex the puppy"))).RetrievalProfile);
        Assert.Equal("paper", (await client.SearchAsync("early", new SearchRequest("Rex the puppy"))).RetrievalProfile);

        // No profile of its own: the silo's default (helamem-3 unless HelaMem:Retrieval:Profile says otherwise).
        var reset = await ops.UpdateTenantSettingsAsync(created.Tenant, new TenantSettingsUpdate(Retrieval: new RetrievalSettings()));
        Assert.Null(reset.Retrieval?.Profile);
        Assert.Equal("helamem-3", reset.NewUserProfile);
    }

    [Fact]
    public async Task Explained_keywords_follow_the_users_profile()
    {
        using var ops = silo.TypedClient();
        var created = await ops.CreateTenantAsync(new CreateTenantRequest("expl-" + Guid.NewGuid().ToString("N")[..8], Retrieval: new RetrievalSettings(Profile: "helamem")));
        using var client = silo.TypedClient(created.ApiKey);
        await client.IngestAsync("u1", new IngestRequest([new MessageInput("We were painting the fence all afternoon", "Alice")]));

        // helamem stems keywords: "painted" in the query meets "painting" in the memory, as the graph matched them.
        var result = await client.SearchAsync("u1", new SearchRequest("who painted the fence", Explain: true));
        var item = Assert.Single(result.Items);
        Assert.Contains(item.Explanation!.MatchedKeywords, k => k.StartsWith("paint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_tenants_are_404_and_tenant_keys_are_refused()
    {
        using var ops = silo.TypedClient();
        var missing = await Assert.ThrowsAsync<HelaMemApiException>(() =>
            ops.UpdateTenantSettingsAsync("never-created", new TenantSettingsUpdate(new TenantQuotas(MaxUsers: 2))));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.DoesNotContain((await ops.ListTenantsAsync()).Tenants, t => t.Name == "never-created");

        var (tenant, _, http) = await silo.CreateTenantAsync("self");
        var before = await ops.GetTenantAsync(tenant);
        using (http)
        {
            var response = await http.PutAsync(new Uri($"/v1/admin/tenants/{tenant}/settings", UriKind.Relative), Http.Json("""{"quotas": {"maxUsers": 100000}}"""));
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(Settings(before), Settings(await ops.GetTenantAsync(tenant)));
    }

    // TenantInfo's key list compares by reference; the settings are what these tests are about.
    private static (TenantQuotas Quotas, RetrievalSettings? Retrieval, bool Disabled, string? NewUserProfile) Settings(TenantInfo tenant) => (tenant.Quotas, tenant.Retrieval, tenant.Disabled, tenant.NewUserProfile);
}
