namespace HelaMem.Silo.Diagnostics;

/// <summary>The service host's log messages (source-generated).</summary>
internal static partial class SiloLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "NO GLOVE CACHE: the silo embeds with the HASHING FALLBACK, which retrieves far worse. Run 'helamem setup' (fetches and converts the GloVe vectors) and restart the silo.")]
    public static partial void HashingFallback(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Silo {Silo} serving: data in {DataDirectory}, embedder {Embedder}.")]
    public static partial void SiloServing(ILogger logger, Orleans.Runtime.SiloAddress silo, string dataDirectory, string embedder);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Tenant {Tenant} created.")]
    public static partial void TenantCreated(ILogger logger, string tenant);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Tenant {Tenant} {Change}.")]
    public static partial void TenantChanged(ILogger logger, string tenant, string change);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}.")]
    public static partial void AuthenticationFailed(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path} (trace {TraceId}).")]
    public static partial void UnhandledError(ILogger logger, string method, string path, string traceId, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "User {Tenant}/{User} deleted: {Nodes} memories, {Items} semantic items.")]
    public static partial void UserDeleted(ILogger logger, string tenant, string user, long nodes, int items);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Tenant {Tenant} is rate limited ({Method} {Path}).")]
    public static partial void RateLimited(ILogger logger, string tenant, string method, string path);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Tenant {Tenant} settings changed: {Settings}; {Reloaded} active user graph(s) reloaded.")]
    public static partial void TenantSettingsChanged(ILogger logger, string tenant, HelaMem.Abstractions.Contracts.TenantSettings settings, int reloaded);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Tenant {Tenant} deleted: {Users} users, {Agents} agents, {Runs} runs, {Nodes} memories, {Items} semantic items, {Keys} keys revoked.")]
    public static partial void TenantDeleted(ILogger logger, string tenant, long users, long agents, long runs, long nodes, long items, int keys);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "The startup banner could not count the tenants; it shows how to create the first one.")]
    public static partial void TenantCountUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Ingest job {Job} of {Graph} accepted: {Messages} messages.")]
    public static partial void IngestJobAccepted(ILogger logger, string graph, string job, int messages);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Ingest job {Job} of {Graph} succeeded: {Messages} messages.")]
    public static partial void IngestJobSucceeded(ILogger logger, string graph, string job, int messages);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Ingest job {Job} of {Graph} failed: {Reason}")]
    public static partial void IngestJobFailed(ILogger logger, string graph, string job, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Ingest jobs of {Graph} paused by a transient failure; the reminder resumes them within a minute.")]
    public static partial void IngestJobsPaused(ILogger logger, string graph, Exception exception);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "This silo could not push its activity window to the cluster's stats grain; the operators' page misses it until a push succeeds.")]
    public static partial void ActivityPushFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "Refused dashboard {Method} {Path}: {Reason}.")]
    public static partial void DashboardRefused(ILogger logger, string method, string path, string reason);
}
