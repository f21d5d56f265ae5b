using HelaMem.Abstractions.Grains;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Distillation;
using HelaMem.Silo.Diagnostics.Activity;
using HelaMem.Silo.Grains;

namespace HelaMem.Silo.Api;

/// <summary>
/// The operators' stats route (<c>GET /v1/admin/stats</c>): merges the latest activity window of every silo (this
/// silo's taken fresh) with the tenants' durable counters and Orleans' membership into one cluster-wide view.
/// Counts and latency buckets add up across silos; percentiles are read from the merged buckets.
/// </summary>
internal sealed class ClusterActivityService(IGrainFactory grains, ActivityPublisher publisher, IServiceProvider services, TimeProvider clock)
{
    private const string NoProvider = "No LLM provider configured: consolidation distills extractively, so no tokens are used; the counts stay 0.";
    private const string WithProvider = "Tokens sent to and returned by the LLM provider in the window.";

    // The distiller decides whether consolidation calls an LLM; the extractive one (the only one so far) does not.
    private readonly bool _llmConfigured = services.GetService<IDistiller>() is not null and not ExtractiveGrainDistiller;

    // Orleans names the grain class in its statistics, with its assembly after a comma ("Namespace.Class,Assembly").
    private static bool IsUserGraph(SimpleGrainStatistic count) =>
        count.GrainType.Split(',')[0].EndsWith("." + nameof(HelaMem.Grains.Graph.UserGraphGrain), StringComparison.Ordinal);

    /// <summary>The merged view.</summary>
    public async Task<OperatorStats> StatsAsync()
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var membershipTask = management.GetDetailedHosts(onlyActive: false);
        var reportedTask = grains.GetGrain<IClusterActivityGrain>(IClusterActivityGrain.Key).Latest(ActivityPublisher.StaleAfter);
        var namesTask = grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).List();
        await Task.WhenAll(membershipTask, reportedTask, namesTask);

        var membership = await membershipTask;
        var active = membership.Where(entry => entry.Status == SiloStatus.Active).Select(entry => entry.SiloAddress.ToString()).ToHashSet(StringComparer.Ordinal);

        // What each active silo holds now: all activations, and the user graphs among them (where the users' memory is).
        var grainCounts = await management.GetSimpleGrainStatistics([.. membership.Where(entry => entry.Status == SiloStatus.Active).Select(entry => entry.SiloAddress)]);
        var activations = grainCounts.GroupBy(count => count.SiloAddress.ToString(), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (All: group.Sum(c => c.ActivationCount), Graphs: group.Where(IsUserGraph).Sum(c => c.ActivationCount)), StringComparer.Ordinal);

        // This silo's own window is taken now rather than read from its last push (up to a push period old).
        var own = publisher.Current();
        var windows = (await reportedTask).Where(window => window.Silo != own.Silo && active.Contains(window.Silo)).Append(own).ToList();

        var names = await namesTask;
        var usages = await Task.WhenAll(names.Select(name => grains.GetGrain<ITenantGrain>(name).Usage()));
        var tenants = new List<TenantActivity>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            tenants.Add(Merge(names[i], usages[i].Users, usages[i].ConsolidationRuns, usages[i].SemanticItems, windows));
        }

        var reports = windows.ToDictionary(window => window.Silo, window => window.TakenAt, StringComparer.Ordinal);
        var silos = membership
            .OrderBy(entry => entry.SiloName, StringComparer.Ordinal)
            .ThenBy(entry => entry.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(entry => new SiloHealth(
                entry.SiloAddress.ToString(),
                entry.SiloName,
                entry.HostName,
                entry.Status.ToString(),
                Utc(entry.StartTime),
                entry.IAmAliveTime == default ? null : Utc(entry.IAmAliveTime),
                reports.TryGetValue(entry.SiloAddress.ToString(), out var reportedAt) ? reportedAt : null,
                activations.TryGetValue(entry.SiloAddress.ToString(), out var held) ? held.All : null,
                activations.TryGetValue(entry.SiloAddress.ToString(), out var heldGraphs) ? heldGraphs.Graphs : null))
            .ToList();

        var storage = new long[LatencyBuckets.Count];
        foreach (var window in windows)
        {
            LatencyBuckets.Add(storage, window.StorageCommitLatency);
        }

        var commits = storage.Sum();
        var windowSeconds = windows.Max(window => window.WindowSeconds);
        return new OperatorStats(
            clock.GetUtcNow(),
            Math.Round(windowSeconds, 1),
            silos,
            tenants,
            new StorageLatency(commits, Rate(commits, windowSeconds), Round(LatencyBuckets.QuantileMilliseconds(storage, 0.5)), Round(LatencyBuckets.QuantileMilliseconds(storage, 0.99))),
            new LlmUsage(_llmConfigured, _llmConfigured ? WithProvider : NoProvider));
    }

    private static TenantActivity Merge(string tenant, long owners, long consolidationRuns, long semanticItems, List<SiloActivity> windows)
    {
        long ingests = 0, searches = 0, refusals = 0, input = 0, output = 0;
        double ingestRate = 0, searchRate = 0;
        var latency = new long[LatencyBuckets.Count];
        foreach (var window in windows)
        {
            var activity = window.Tenants.FirstOrDefault(t => t.Tenant == tenant);
            if (activity is null)
            {
                continue;
            }

            ingests += activity.Ingests;
            searches += activity.Searches;
            refusals += activity.Refusals;
            input += activity.InputTokens;
            output += activity.OutputTokens;

            // Each silo's rate over its own window (a silo that just started covers less time), summed.
            ingestRate += activity.Ingests / window.WindowSeconds;
            searchRate += activity.Searches / window.WindowSeconds;
            LatencyBuckets.Add(latency, activity.SearchLatency);
        }

        return new TenantActivity(tenant, owners, ingests, Math.Round(ingestRate, 3), searches, Math.Round(searchRate, 3),
            Round(LatencyBuckets.QuantileMilliseconds(latency, 0.5)), Round(LatencyBuckets.QuantileMilliseconds(latency, 0.99)),
            refusals, input, output, consolidationRuns, semanticItems);
    }

    private static double Rate(long count, double seconds) => Math.Round(count / Math.Max(1, seconds), 3);

    private static double? Round(double? milliseconds) => milliseconds is { } value ? Math.Round(value, 3) : null;

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
