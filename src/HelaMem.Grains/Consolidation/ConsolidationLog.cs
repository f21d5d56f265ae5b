using Microsoft.Extensions.Logging;

namespace HelaMem.Grains.Consolidation;

/// <summary>Consolidation's log lines (event ids 300–319, apart from GrainLog's so the two grow independently).</summary>
internal static partial class ConsolidationLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Graph {Graph}: distilling {Count} turns from node {First} was deferred; they stay pending for the next run.")]
    public static partial void TurnsDeferred(ILogger logger, string graph, int count, long first, Exception exception);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Graph {Graph}: distilling hub {Hub} was deferred; it stays pending for the next run.")]
    public static partial void HubDeferred(ILogger logger, string graph, long hub, Exception exception);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Graph {Graph}: distilled {Turns} new turns into {Items} semantic changes; {Pending} turns wait.")]
    public static partial void TurnsDistilled(ILogger logger, string graph, int turns, int items, int pending);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Graph {Graph}: a consolidation run was abandoned because the user was deleted while it ran; nothing of it was stored.")]
    public static partial void RunAbandoned(ILogger logger, string graph);
}
