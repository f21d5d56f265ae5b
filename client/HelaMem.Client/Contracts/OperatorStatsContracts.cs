namespace HelaMem.Client.Contracts;

/// <summary>
/// The operators' live view of the whole cluster (<c>GET /v1/admin/stats</c>): every silo and its health, every
/// tenant's recent activity, storage latency and LLM token use. Rates, percentiles and counts marked "in the window"
/// cover the last <see cref="WindowSeconds"/> seconds, merged over the silos that reported.
/// </summary>
/// <param name="GeneratedAt">When the answering silo merged it.</param>
/// <param name="WindowSeconds">The length of the recent window (60 s; shorter on a cluster that just started).</param>
/// <param name="Silos">The cluster's silos as Orleans' membership lists them, with their status.</param>
/// <param name="Tenants">Every tenant, by name.</param>
/// <param name="Storage">Grain-storage commit latency over the window, all silos together.</param>
/// <param name="Llm">Whether an LLM provider is configured (token use is counted per tenant).</param>
public sealed record OperatorStats(
    DateTimeOffset GeneratedAt,
    double WindowSeconds,
    IReadOnlyList<SiloHealth> Silos,
    IReadOnlyList<TenantActivity> Tenants,
    StorageLatency Storage,
    LlmUsage Llm);

/// <summary>One silo of the cluster.</summary>
/// <param name="Address">Its silo address (host:port@generation).</param>
/// <param name="Name">Its name.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="Status">Orleans' membership status: Joining, Active, ShuttingDown, Stopping or Dead.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="LastHeartbeatAt">Its last "I am alive" in the membership table (null: none yet).</param>
/// <param name="LastReportAt">When it last pushed its activity window (null: not within the last 10 s: stopped or not yet).</param>
/// <param name="Activations">Grain activations on it now (null for a silo that is not active).</param>
/// <param name="UserGraphs">User graphs (one per user, agent or run with memories in use) active on it now (null for a silo that is not active).</param>
public sealed record SiloHealth(
    string Address, string Name, string Host, string Status, DateTimeOffset StartedAt, DateTimeOffset? LastHeartbeatAt, DateTimeOffset? LastReportAt,
    int? Activations = null, int? UserGraphs = null);

/// <summary>One tenant's owners, recent activity and memory work.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Owners">Its memory owners (users, agents and runs with a memory graph).</param>
/// <param name="Ingests">Acknowledged ingests in the window (synchronous ones and accepted asynchronous jobs).</param>
/// <param name="IngestsPerSecond">Ingests per second over the window.</param>
/// <param name="Searches">Answered searches in the window (each search of a batch counts).</param>
/// <param name="SearchesPerSecond">Searches per second over the window.</param>
/// <param name="SearchP50Ms">Median search latency in the window, in milliseconds (null: no search).</param>
/// <param name="SearchP99Ms">99th-percentile search latency in the window, in milliseconds (null: no search).</param>
/// <param name="RateLimitRefusals">Requests refused by the tenant's rate limit in the window.</param>
/// <param name="InputTokens">Tokens sent to an LLM provider in the window.</param>
/// <param name="OutputTokens">Tokens returned by an LLM provider in the window.</param>
/// <param name="ConsolidationRuns">Consolidation runs of its owners so far.</param>
/// <param name="SemanticItems">Semantic items consolidation has distilled for its owners (less those deleted).</param>
public sealed record TenantActivity(
    string Tenant,
    long Owners,
    long Ingests,
    double IngestsPerSecond,
    long Searches,
    double SearchesPerSecond,
    double? SearchP50Ms,
    double? SearchP99Ms,
    long RateLimitRefusals,
    long InputTokens,
    long OutputTokens,
    long ConsolidationRuns,
    long SemanticItems);

/// <summary>Grain-storage commits (one transaction of grouped writes, fsync included) over the window.</summary>
/// <param name="Commits">Commits in the window.</param>
/// <param name="CommitsPerSecond">Commits per second.</param>
/// <param name="CommitP50Ms">Median commit latency in milliseconds (null: no commit).</param>
/// <param name="CommitP99Ms">99th-percentile commit latency in milliseconds (null: no commit).</param>
public sealed record StorageLatency(long Commits, double CommitsPerSecond, double? CommitP50Ms, double? CommitP99Ms);

/// <summary>The LLM provider behind token use.</summary>
/// <param name="ProviderConfigured">Whether one is configured (consolidation distills extractively without one).</param>
/// <param name="Note">What that means for the token counts.</param>
public sealed record LlmUsage(bool ProviderConfigured, string Note);
