using HelaMem.Silo.Diagnostics.Activity;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Dashboard;

/// <summary>
/// The cluster-activity grain and the merge: a late window never replaces a newer one, a silo silent longer than
/// the caller's age is left out, and the stats route only counts windows of silos the membership lists as active.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class ClusterActivityGrainTests(SiloFactory silo)
{
    [Fact]
    public async Task Only_fresh_windows_of_active_silos_count()
    {
        var (tenant, _, http) = await silo.CreateTenantAsync("ghost");
        http.Dispose();
        var grain = silo.Grains.GetGrain<IClusterActivityGrain>(IClusterActivityGrain.Key);
        var now = DateTimeOffset.UtcNow;

        // A silo that is not (or no longer) in the membership reports 50 searches: the route leaves them out.
        const string stranger = "S10.9.9.9:11111:1";
        await grain.Report(Window(stranger, now, tenant, searches: 50));
        var fresh = await grain.Latest(TimeSpan.FromSeconds(10));
        Assert.Contains(fresh, window => window.Silo == stranger);
        using var ops = silo.TypedClient();
        Assert.Equal(0, (await ops.GetOperatorStatsAsync()).Tenants.Single(t => t.Tenant == tenant).Searches);

        // A window delivered late does not replace the newer one; an old one is left out of Latest.
        await grain.Report(Window(stranger, now.AddSeconds(-5), tenant, searches: 7));
        Assert.Equal(50, (await grain.Latest(TimeSpan.FromSeconds(10))).Single(window => window.Silo == stranger).Tenants.Single().Searches);
        const string stopped = "S10.9.9.8:11111:1";
        await grain.Report(Window(stopped, now.AddSeconds(-30), tenant, searches: 3));
        Assert.DoesNotContain(await grain.Latest(TimeSpan.FromSeconds(10)), window => window.Silo == stopped);
    }

    private static SiloActivity Window(string silo, DateTimeOffset takenAt, string tenant, long searches)
    {
        var latency = new long[LatencyBuckets.Count];
        latency[LatencyBuckets.IndexOf(0.01)] = searches;
        return new SiloActivity(silo, takenAt, 60, [new TenantActivityWindow(tenant, 0, searches, 0, 0, 0, latency)], new long[LatencyBuckets.Count]);
    }
}
