using Microsoft.Extensions.Logging;
using Orleans;

namespace HelaMem.Grains.Diagnostics;

/// <summary>The memory grains' log messages (source-generated).</summary>
internal static partial class GrainLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Node {Node} ignored reinforcement {ReinforcementId}: it already applied up to {Applied}.")]
    public static partial void DuplicateReinforcement(ILogger logger, string node, long reinforcementId, long applied);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Node {Node} could not flush its Hebbian weights; they stay pending and are retried at the next flush.")]
    public static partial void FlushFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Graph {Graph} rebuilt its index from {Nodes} nodes at step {Step}.")]
    public static partial void GraphRebuilt(ILogger logger, string graph, long nodes, long step);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Graph {Graph} ingested {Messages} messages ({Nodes} nodes now).")]
    public static partial void Ingested(ILogger logger, string graph, int messages, long nodes);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Graph {Graph} deleted: {Nodes} nodes, {SemanticItems} semantic items.")]
    public static partial void Deleted(ILogger logger, string graph, long nodes, int semanticItems);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Consolidation of {Graph}: {Distilled} hubs distilled, {Items} items added, {Archived} nodes archived.")]
    public static partial void Consolidated(ILogger logger, string graph, int distilled, int items, int archived);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Graph {Graph} could not flush its step counter; it is retried at the next flush.")]
    public static partial void GraphFlushFailed(ILogger logger, string graph, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Graph {Graph}: an ingest failed part-way; the activation is dropped so that the next call rebuilds from durable state.")]
    public static partial void IngestFailed(ILogger logger, string graph, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Consolidation of {Graph} failed; the reminder retries it.")]
    public static partial void ConsolidationFailed(ILogger logger, string graph, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Graph {Graph}: ingest with idempotency key {Key} was a retry; the first receipt is returned and nothing is stored.")]
    public static partial void IngestReplayed(ILogger logger, string graph, string key);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Graph {Graph}: memory {Node} updated to version {Version}.")]
    public static partial void MemoryUpdated(ILogger logger, string graph, long node, int version);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Graph {Graph}: memory {Node} deleted.")]
    public static partial void MemoryDeleted(ILogger logger, string graph, long node);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "Graph {Graph} activation {Activation} started on {Silo}.")]
    public static partial void GraphActivationStarted(ILogger logger, string graph, Orleans.Runtime.ActivationId activation, string silo);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Graph {Graph} activation {Activation} stopping on {Silo} ({Reason}).")]
    public static partial void GraphActivationStopping(ILogger logger, string graph, Orleans.Runtime.ActivationId activation, string silo, DeactivationReasonCode reason);

    // Event ids 40+: the embedder a graph was built with (a block apart, so other additions here do not collide).
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning,
        Message = "Graph {Graph} was built with the embedder {GraphEmbedder}, not the silo's {SiloEmbedder}: ingest and search are refused until `helamem reembed` moves it.")]
    public static partial void EmbedderMismatch(ILogger logger, string graph, string graphEmbedder, string siloEmbedder);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Graph {Graph}: re-embedded {Memories} memories from {From} to {To}; {Remaining} remain.")]
    public static partial void Reembedded(ILogger logger, string graph, string from, string to, int memories, long remaining);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning,
        Message = "Graph {Graph}: the query could not be embedded ({Reason}); the search answered degraded, from keyword and graph scores only.")]
    public static partial void RetrievalDegraded(ILogger logger, string graph, string reason);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning,
        Message = "Graph {Graph}: {Edges} edges lead to nodes the graph never committed (an ingest cut off between its node writes and its commit); they are ignored.")]
    public static partial void UncommittedEdgesIgnored(ILogger logger, string graph, int edges);
}
