using System.Diagnostics.Metrics;

namespace HelaMem.Grains.Diagnostics;

/// <summary>The memory grains' instruments, on the <c>HelaMem.Grains</c> meter.</summary>
public static class GrainMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "HelaMem.Grains";

    /// <summary>The tag naming the tenant of a measurement.</summary>
    public const string TenantTag = "helamem.tenant";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Nodes whose exact spread score a retrieval needed (the others cannot change the result).</summary>
    public static Histogram<int> SpreadCandidates { get; } = Meter.CreateHistogram<int>("helamem.grains.spread.candidates", "{node}", "Nodes whose exact spread score a retrieval needed.");

    /// <summary>The name of <see cref="LlmTokens"/> (for listeners: they see it while this class is initialized).</summary>
    public const string LlmTokensName = "helamem.llm.tokens";

    /// <summary>The tag telling input (prompt) from output (completion) tokens of <see cref="LlmTokens"/>.</summary>
    public const string TokenTypeTag = "helamem.llm.token.type";

    /// <summary>
    /// Tokens an LLM provider was sent and returned, tagged with the tenant and the token type. Nothing records them
    /// while HelaMem has no LLM provider; a provider records through <see cref="RecordLlmTokens"/>, and the silo's
    /// operator page and /metrics show them per tenant.
    /// </summary>
    public static Counter<long> LlmTokens { get; } = Meter.CreateCounter<long>(LlmTokensName, "{token}", "Tokens sent to (input) and returned by (output) an LLM provider, by tenant.");

    /// <summary>Records one LLM call's token use for <paramref name="tenant"/>.</summary>
    public static void RecordLlmTokens(string tenant, long inputTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        LlmTokens.Add(inputTokens, new(TenantTag, tenant), new(TokenTypeTag, "input"));
        LlmTokens.Add(outputTokens, new(TenantTag, tenant), new(TokenTypeTag, "output"));
    }

    /// <summary>Node grains asked for their spread score per retrieval (candidates with learned weights: the fan-out).</summary>
    public static Histogram<int> SpreadFanOut { get; } = Meter.CreateHistogram<int>("helamem.grains.spread.fanout", "{grain}", "Node grains asked for their spread score per retrieval.");

    /// <summary>How long a consolidation run took (snapshot, distilling the pending hubs, the forgetting sweep).</summary>
    public static Histogram<double> ConsolidationDuration { get; } = Meter.CreateHistogram<double>("helamem.consolidation.duration", "s", "Time of one consolidation run of a user graph.");

    /// <summary>What consolidation runs did: hubs distilled, semantic items added, memories archived by forgetting.</summary>
    public static Counter<long> ConsolidationWork { get; } = Meter.CreateCounter<long>("helamem.consolidation.work", "{item}", "Hubs distilled, semantic items added and memories archived by consolidation, by kind.");

    /// <summary>Records one consolidation run (no tenant tag: per-tenant runs are on the operators' page).</summary>
    public static void RecordConsolidation(TimeSpan duration, int hubsDistilled, int itemsAdded, int nodesArchived)
    {
        ConsolidationDuration.Record(duration.TotalSeconds);
        ConsolidationWork.Add(hubsDistilled, new KeyValuePair<string, object?>("helamem.consolidation.kind", "hubs_distilled"));
        ConsolidationWork.Add(itemsAdded, new KeyValuePair<string, object?>("helamem.consolidation.kind", "items_added"));
        ConsolidationWork.Add(nodesArchived, new KeyValuePair<string, object?>("helamem.consolidation.kind", "nodes_archived"));
    }

    /// <summary>Searches answered without a query vector because the embedder could not embed the query (a remote provider was down).</summary>
    public static Counter<long> DegradedRetrievals { get; } = Meter.CreateCounter<long>("helamem.retrieval.degraded", "{search}", "Searches answered without a query vector (the embedding provider was unavailable), by tenant.");

    /// <summary>Counts one degraded search of <paramref name="tenant"/>.</summary>
    public static void RecordDegradedRetrieval(string tenant) => DegradedRetrievals.Add(1, new KeyValuePair<string, object?>(TenantTag, tenant));
}
