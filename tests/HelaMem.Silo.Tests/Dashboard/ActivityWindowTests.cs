using HelaMem.Silo.Diagnostics.Activity;

namespace HelaMem.Silo.Tests.Dashboard;

/// <summary>The latency buckets' percentiles and merging, and the recent window over running totals.</summary>
public sealed class ActivityWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Percentiles_from_merged_buckets_are_those_of_all_durations_within_the_bucket_width()
    {
        // Two silos: one answered 90 searches in 2 ms, the other 10 in 200 ms. Together: p50 2 ms, p99 200 ms.
        var fast = new long[LatencyBuckets.Count];
        var slow = new long[LatencyBuckets.Count];
        fast[LatencyBuckets.IndexOf(0.002)] = 90;
        slow[LatencyBuckets.IndexOf(0.2)] = 10;
        var merged = new long[LatencyBuckets.Count];
        LatencyBuckets.Add(merged, fast);
        LatencyBuckets.Add(merged, slow);

        Assert.InRange(LatencyBuckets.QuantileMilliseconds(merged, 0.5)!.Value, 2 / 1.14, 2 * 1.14);
        Assert.InRange(LatencyBuckets.QuantileMilliseconds(merged, 0.99)!.Value, 200 / 1.14, 200 * 1.14);
        Assert.InRange(LatencyBuckets.QuantileMilliseconds(fast, 0.99)!.Value, 2 / 1.14, 2 * 1.14);
        Assert.Null(LatencyBuckets.QuantileMilliseconds(new long[LatencyBuckets.Count], 0.5));
    }

    [Fact]
    public void Every_duration_falls_in_the_bucket_whose_bounds_hold_it()
    {
        foreach (var seconds in new[] { 0.00006, 0.0007, 0.013, 0.25, 4.2, 77.0 })
        {
            var index = LatencyBuckets.IndexOf(seconds);
            Assert.InRange(seconds, LatencyBuckets.LowerBound(index), LatencyBuckets.LowerBound(index + 1));
        }

        Assert.Equal(0, LatencyBuckets.IndexOf(0));
        Assert.Equal(LatencyBuckets.Count - 1, LatencyBuckets.IndexOf(1e6));
    }

    [Fact]
    public void The_window_counts_only_what_happened_within_its_length()
    {
        var recorder = new ActivityRecorder();
        var window = new ActivityWindow(TimeSpan.FromSeconds(60), Start);
        recorder.Ingested("acme");
        recorder.Searched("acme", 0.004);
        window.Take("s", Start.AddSeconds(30), recorder.Read(), keep: true);

        recorder.Searched("acme", 0.004);
        recorder.Refused("acme");
        var early = window.Take("s", Start.AddSeconds(50), recorder.Read(), keep: true);
        Assert.Equal(50, early.WindowSeconds);
        var acme = Assert.Single(early.Tenants);
        Assert.Equal((1L, 2L, 1L), (acme.Ingests, acme.Searches, acme.Refusals));

        // 95 s after the start the baseline is the totals kept at 30 s: the first ingest and search have left the window.
        recorder.UsedTokens("other", 5, 1);
        var later = window.Take("s", Start.AddSeconds(95), recorder.Read(), keep: false);
        Assert.Equal(65, later.WindowSeconds);
        var acmeLater = later.Tenants.Single(t => t.Tenant == "acme");
        Assert.Equal((0L, 1L, 1L), (acmeLater.Ingests, acmeLater.Searches, acmeLater.Refusals));
        Assert.Equal(1, acmeLater.SearchLatency.Sum());
        Assert.Equal((5L, 1L), (later.Tenants.Single(t => t.Tenant == "other").InputTokens, later.Tenants.Single(t => t.Tenant == "other").OutputTokens));
    }
}
