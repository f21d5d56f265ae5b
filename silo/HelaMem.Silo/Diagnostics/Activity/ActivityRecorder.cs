using System.Collections.Concurrent;

namespace HelaMem.Silo.Diagnostics.Activity;

/// <summary>
/// This silo's running totals per tenant (ingests, searches with their latency buckets, rate-limit refusals, LLM
/// tokens) and of storage commits, counted on the request path with interlocked adds only: no grain call, no lock.
/// <see cref="ActivityPublisher"/> turns the totals into a recent window and pushes it to the cluster.
/// </summary>
internal sealed class ActivityRecorder
{
    private readonly ConcurrentDictionary<string, TenantCounters> _tenants = new(StringComparer.Ordinal);
    private readonly long[] _storageCommits = new long[LatencyBuckets.Count];

    /// <summary>An acknowledged ingest (synchronous, or an accepted asynchronous job).</summary>
    public void Ingested(string tenant) => Interlocked.Increment(ref Of(tenant).Ingests);

    /// <summary>An answered search and how long it took.</summary>
    public void Searched(string tenant, double seconds)
    {
        var counters = Of(tenant);
        Interlocked.Increment(ref counters.Searches);
        Interlocked.Increment(ref counters.SearchLatency[LatencyBuckets.IndexOf(seconds)]);
    }

    /// <summary>A request of the tenant refused by its rate limit.</summary>
    public void Refused(string tenant) => Interlocked.Increment(ref Of(tenant).Refusals);

    /// <summary>Tokens an LLM provider was sent and returned for the tenant.</summary>
    public void UsedTokens(string tenant, long input, long output)
    {
        var counters = Of(tenant);
        Interlocked.Add(ref counters.InputTokens, input);
        Interlocked.Add(ref counters.OutputTokens, output);
    }

    /// <summary>A storage commit (a group-commit transaction, fsync included) and how long it took.</summary>
    public void Committed(double seconds) => Interlocked.Increment(ref _storageCommits[LatencyBuckets.IndexOf(seconds)]);

    /// <summary>A copy of the totals so far.</summary>
    public ActivityTotals Read()
    {
        var tenants = new Dictionary<string, TenantTotals>(_tenants.Count, StringComparer.Ordinal);
        foreach (var (tenant, counters) in _tenants)
        {
            tenants[tenant] = new TenantTotals(
                Interlocked.Read(ref counters.Ingests),
                Interlocked.Read(ref counters.Searches),
                Interlocked.Read(ref counters.Refusals),
                Interlocked.Read(ref counters.InputTokens),
                Interlocked.Read(ref counters.OutputTokens),
                ReadAll(counters.SearchLatency));
        }

        return new ActivityTotals(tenants, ReadAll(_storageCommits));
    }

    private TenantCounters Of(string tenant) => _tenants.GetOrAdd(tenant, static _ => new TenantCounters());

    private static long[] ReadAll(long[] buckets)
    {
        var copy = new long[buckets.Length];
        for (var i = 0; i < buckets.Length; i++)
        {
            copy[i] = Interlocked.Read(ref buckets[i]);
        }

        return copy;
    }

    // Fields, not properties: Interlocked needs their references.
    private sealed class TenantCounters
    {
        public long Ingests;
        public long Searches;
        public long Refusals;
        public long InputTokens;
        public long OutputTokens;
        public readonly long[] SearchLatency = new long[LatencyBuckets.Count];
    }
}

/// <summary>A silo's totals since it started.</summary>
internal sealed record ActivityTotals(IReadOnlyDictionary<string, TenantTotals> Tenants, long[] StorageCommitLatency)
{
    /// <summary>Nothing counted yet (a window's first baseline).</summary>
    public static ActivityTotals Empty { get; } = new(new Dictionary<string, TenantTotals>(StringComparer.Ordinal), new long[LatencyBuckets.Count]);
}

/// <summary>One tenant's totals on a silo.</summary>
internal sealed record TenantTotals(long Ingests, long Searches, long Refusals, long InputTokens, long OutputTokens, long[] SearchLatency);
