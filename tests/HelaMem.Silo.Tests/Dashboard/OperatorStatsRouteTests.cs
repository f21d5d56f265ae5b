using System.Net;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Diagnostics;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Dashboard;

/// <summary>
/// <c>GET /v1/admin/stats</c> through the real silo: the numbers of a tenant move after its ingests, searches,
/// consolidation and token use, another tenant's stay at zero, and only the operator key reads them.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class OperatorStatsRouteTests(SiloFactory silo)
{
    [Fact]
    public async Task A_tenants_activity_shows_in_the_stats_and_another_tenants_does_not()
    {
        var (busy, busyKey, busyHttp) = await silo.CreateTenantAsync("busy");
        var (idle, _, idleHttp) = await silo.CreateTenantAsync("idle");
        busyHttp.Dispose();
        idleHttp.Dispose();
        using var client = silo.TypedClient(busyKey);
        await client.IngestAsync("alice", Samples.Conversation());
        foreach (var query in new[] { "Rex", "Lisbon", "violin", "sister" })
        {
            await client.SearchAsync("alice", new SearchRequest(query));
        }

        await client.ConsolidateAsync("alice");
        GrainMetrics.RecordLlmTokens(busy, 120, 30);

        using var ops = silo.TypedClient();
        // The consolidation run reaches the tenant's counter by a one-way call: wait for it (the rest is counted at once).
        var stats = await ops.GetOperatorStatsAsync();
        for (var tries = 0; stats.Tenants.Single(t => t.Tenant == busy).ConsolidationRuns == 0 && tries < 50; tries++)
        {
            await Task.Delay(100);
            stats = await ops.GetOperatorStatsAsync();
        }

        var active = stats.Tenants.Single(t => t.Tenant == busy);
        Assert.Equal(1, active.Owners);
        Assert.Equal(1, active.Ingests);
        Assert.Equal(4, active.Searches);
        Assert.True(active.IngestsPerSecond > 0 && active.SearchesPerSecond > 0, $"rates {active.IngestsPerSecond}, {active.SearchesPerSecond}");
        Assert.True(active.SearchP50Ms > 0 && active.SearchP99Ms >= active.SearchP50Ms, $"p50 {active.SearchP50Ms}, p99 {active.SearchP99Ms}");
        Assert.Equal((120, 30), (active.InputTokens, active.OutputTokens));
        Assert.Equal(1, active.ConsolidationRuns);
        Assert.Equal(0, active.RateLimitRefusals);

        var quiet = stats.Tenants.Single(t => t.Tenant == idle);
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (quiet.Owners, quiet.Ingests, quiet.Searches, quiet.InputTokens, quiet.ConsolidationRuns));
        Assert.Null(quiet.SearchP50Ms);

        // This silo is in the membership, active, and its window is in the view; the ingest committed to storage.
        var self = Assert.Single(stats.Silos, s => s.LastReportAt is not null);
        Assert.Equal(("silo-0", "Active"), (self.Name, self.Status));
        Assert.True(stats.WindowSeconds is > 0 and <= 60, $"window {stats.WindowSeconds}");
        Assert.True(stats.Storage.Commits > 0 && stats.Storage.CommitP50Ms > 0, $"storage {stats.Storage}");
        Assert.False(stats.Llm.ProviderConfigured);
        Assert.Contains("No LLM provider configured", stats.Llm.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_operator_key_reads_the_stats()
    {
        var (_, _, tenantHttp) = await silo.CreateTenantAsync("peek");
        using var _t = tenantHttp;
        using var anonymous = silo.WithKey(null);
        foreach (var http in new[] { tenantHttp, anonymous })
        {
            var refused = await http.GetAsync(new Uri("/v1/admin/stats", UriKind.Relative));
            var problem = await refused.ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains("operator key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var ops = silo.OperatorHttp();
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync(new Uri("/v1/admin/stats", UriKind.Relative))).StatusCode);
    }
}

/// <summary>A silo whose tenants may send 3 requests an hour: a refusal shows in the refused tenant's stats only.</summary>
public sealed class OperatorStatsRefusalTests : IAsyncLifetime
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
    public async Task Rate_limit_refusals_are_counted_per_tenant()
    {
        var (noisy, _, noisyHttp) = await _silo.CreateTenantAsync("noisy");
        var (calm, _, calmHttp) = await _silo.CreateTenantAsync("calm");
        using var _n = noisyHttp;
        using var _c = calmHttp;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await noisyHttp.GetAsync(new Uri("/v1/users/u/stats", UriKind.Relative))).StatusCode);
        }

        Assert.Equal(2, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
        using var ops = _silo.TypedClient();
        var stats = await ops.GetOperatorStatsAsync();
        Assert.Equal(2, stats.Tenants.Single(t => t.Tenant == noisy).RateLimitRefusals);
        Assert.Equal(0, stats.Tenants.Single(t => t.Tenant == calm).RateLimitRefusals);
    }
}
