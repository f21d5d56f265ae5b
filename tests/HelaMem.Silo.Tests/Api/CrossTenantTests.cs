using System.Net;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Tenancy;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Hosting;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(SiloHostGroup.Name)]
public sealed class CrossTenantTests(SiloFactory silo)
{
    [Fact]
    public async Task Another_tenant_guessing_user_and_memory_ids_sees_nothing_and_changes_nothing()
    {
        var (victim, victimKey, victimHttp) = await silo.CreateTenantAsync("victim");
        var (_, _, attacker) = await silo.CreateTenantAsync("attacker");
        using var _v = victimHttp;
        using var _a = attacker;
        using var victimClient = silo.TypedClient(victimKey);
        await victimClient.IngestAsync("alice", Samples.Conversation());
        var before = await victimClient.GetUserStatsAsync("alice");

        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, "/v1/users/alice/search", new SearchRequest("sister Lisbon")),
            (HttpMethod.Post, "/v1/users/alice/search", new SearchRequest("sister Lisbon", Filter: new MemoryFilter(Speakers: ["Alice"]))),
            (HttpMethod.Post, "/v1/users/alice/search/batch", new BatchSearchRequest([new SearchRequest("sister Lisbon")])),
            (HttpMethod.Get, "/v1/users/alice/memories?speaker=Alice", null),
            (HttpMethod.Patch, "/v1/users/alice/memories/2", new MemoryUpdateRequest("Alice: overwritten by an attacker")),
            (HttpMethod.Get, "/v1/users/alice/memories/2/history", null),
            (HttpMethod.Get, "/v1/users/alice/stats", null),
            (HttpMethod.Get, "/v1/users/alice/profile", null),
            (HttpMethod.Get, "/v1/users/alice/memories", null),
            (HttpMethod.Get, "/v1/users/alice/memories/0", null),
            (HttpMethod.Delete, "/v1/users/alice/memories/0", null),
            (HttpMethod.Post, "/v1/users/alice/usage", new UsageReport(1, [0, 1])),
            (HttpMethod.Post, "/v1/users/alice/consolidate", null),
            (HttpMethod.Delete, "/v1/users/alice", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Http.Json(body) };
            var response = await attacker.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.DoesNotContain("Lisbon", text, StringComparison.Ordinal);
            Assert.DoesNotContain(victim, text, StringComparison.Ordinal);
        }

        // A user id shaped like a grain key of the victim is just an invalid id.
        var keyShaped = await attacker.GetAsync(new Uri($"/v1/users/{Uri.EscapeDataString(victim + "/alice")}/stats", UriKind.Relative));
        Assert.True(keyShaped.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound);

        var after = await victimClient.GetUserStatsAsync("alice");
        Assert.Equal(before with { Step = after.Step }, after);
        Assert.Equal(before.Step, after.Step);
        Assert.Equal(5, (await victimClient.ListMemoriesAsync("alice")).Items.Count);
        Assert.Single((await victimClient.GetMemoryHistoryAsync("alice", 2)).Versions);
    }

    [Fact]
    public async Task The_grain_call_filter_refuses_calls_into_another_tenants_grains()
    {
        var (victim, victimKey, http) = await silo.CreateTenantAsync("v");
        http.Dispose();
        using var victimClient = silo.TypedClient(victimKey);
        await victimClient.IngestAsync("alice", Samples.Conversation());

        // Calls from inside the silo's process acting for another tenant, as the API makes them after authentication.
        var grains = silo.Grains;
        TenantContext.Set("someone-else");
        try
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grains.GetGrain<IUserGraphGrain>($"{victim}/alice").Stats());
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grains.GetGrain<IMemoryNodeGrain>($"{victim}/alice/0").Read(0));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grains.GetGrain<ITenantGrain>(victim).Usage());

            // The silo's own tenant-keyed grains are guarded too.
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grains.GetGrain<ITenantAccessGrain>(victim).Describe());
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grains.GetGrain<IMemoryAnnotationGrain>($"{victim}/alice").Lookup([0]));
        }
        finally
        {
            TenantContext.Clear();
        }

        TenantContext.Set(victim);
        try
        {
            Assert.Equal(5, (await grains.GetGrain<IUserGraphGrain>($"{victim}/alice").Stats()).Nodes);
            Assert.Equal("Alice: I adopted a golden retriever puppy named Rex last spring.", (await grains.GetGrain<IMemoryNodeGrain>($"{victim}/alice/0").Read(0))!.Content);
            Assert.NotNull(await grains.GetGrain<ITenantAccessGrain>(victim).Describe());
        }
        finally
        {
            TenantContext.Clear();
        }

        // Nothing the refused calls touched changed.
        Assert.Equal(5, (await victimClient.GetUserStatsAsync("alice")).Nodes);
    }

    [Theory]
    [InlineData("acme", "acme", true)]
    [InlineData("acme/alice", "acme", true)]
    [InlineData("acme/alice/3", "acme", true)]
    [InlineData("acme2/alice", "acme", false)]
    [InlineData("acm/alice", "acme", false)]
    [InlineData("other", "acme", false)]
    public void Grain_keys_belong_to_the_tenant_of_their_first_segment(string key, string tenant, bool expected) =>
        Assert.Equal(expected, TenantIsolationFilter.BelongsTo(key, tenant));
}
