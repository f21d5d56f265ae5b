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

    /// <summary>Node grains asked for their spread score per retrieval (candidates with learned weights: the fan-out).</summary>
    public static Histogram<int> SpreadFanOut { get; } = Meter.CreateHistogram<int>("helamem.grains.spread.fanout", "{grain}", "Node grains asked for their spread score per retrieval.");
}
