using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

public sealed class RestartTests
{
    [Fact]
    public async Task Tenants_keys_and_memories_survive_a_restart_of_the_host()
    {
        using var data = new TempDirectory();
        string apiKey;
        string revokedKey;
        SearchResult before;
        await using (var first = new SiloFactory(new Dictionary<string, string?>(), data))
        {
            var (tenant, key, http) = await first.CreateTenantAsync();
            http.Dispose();
            apiKey = key;
            using var ops = first.TypedClient();
            var extra = await ops.IssueKeyAsync(tenant);
            await ops.RevokeKeyAsync(tenant, extra.KeyId);
            revokedKey = extra.ApiKey;
            using var client = first.TypedClient(apiKey);
            await client.IngestAsync("alice", Samples.Conversation());
            before = await client.SearchAsync("alice", new SearchRequest("violin weekends"));
        }

        await using var second = new SiloFactory(new Dictionary<string, string?>(), data);
        using var again = second.TypedClient(apiKey);
        var page = await again.ListMemoriesAsync("alice");
        Assert.Equal(5, page.Items.Count);
        Assert.Equal("D1:4", page.Items[3].Metadata["dia_id"]);
        var after = await again.SearchAsync("alice", new SearchRequest("violin weekends"));
        Assert.Equal(before.Items[0].Id, after.Items[0].Id);
        Assert.Equal(before.Items[0].Content, after.Items[0].Content);

        using var revoked = second.TypedClient(revokedKey);
        var refused = await Assert.ThrowsAsync<HelaMem.Client.HelaMemApiException>(() => revoked.GetUserStatsAsync("alice"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
