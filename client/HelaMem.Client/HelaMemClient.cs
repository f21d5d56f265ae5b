using System.Globalization;
using HelaMem.Client.Contracts;

namespace HelaMem.Client;

/// <summary>
/// The typed client of the HelaMem HTTP API (v1). Tenant routes authenticate with <see cref="HelaMemClientOptions.ApiKey"/>,
/// operator routes with <see cref="HelaMemClientOptions.OperatorKey"/>. Every call honours cancellation, times out
/// per attempt, retries refusals (429, 503) and server errors of safe calls with backoff, and throws
/// <see cref="HelaMemApiException"/> with the server's explanation otherwise.
/// </summary>
public sealed partial class HelaMemClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly HelaMemClientOptions _options;

    // Which of the options' endpoints calls go to; moves on when one stops answering.
    private int _endpoint;

    /// <summary>Creates a client with its own <see cref="HttpClient"/>.</summary>
    public HelaMemClient(HelaMemClientOptions options)
        : this(new HttpClient(), options, ownsHttp: true)
    {
    }

    /// <summary>Creates a client over <paramref name="http"/> (not disposed by the client; its BaseAddress is ignored).</summary>
    public HelaMemClient(HttpClient http, HelaMemClientOptions options)
        : this(http, options, ownsHttp: false)
    {
    }

    private HelaMemClient(HttpClient http, HelaMemClientOptions options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options;
        if (ownsHttp)
        {
            // Timeouts are per attempt (ours); the HttpClient's own would cut across retries.
            _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        }
    }

    /// <summary>
    /// Stores messages for <paramref name="user"/>. With <see cref="HelaMemClientOptions.AutomaticIdempotencyKeys"/> (the
    /// default) the call carries a key of its own and is retried after timeouts and connection failures like a GET.
    /// </summary>
    public Task<IngestResult> IngestAsync(string user, IngestRequest request, CancellationToken cancellationToken = default) =>
        IngestAsync(MemoryScope.User(user), request, cancellationToken);

    /// <summary>
    /// Stores messages in <paramref name="owner"/>'s memory (a user's, an agent's or a run's). With
    /// <see cref="HelaMemClientOptions.AutomaticIdempotencyKeys"/> (the default) the call carries a key of its own and is
    /// retried after timeouts and connection failures like a GET.
    /// </summary>
    public Task<IngestResult> IngestAsync(MemoryScope owner, IngestRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<IngestResult>(HttpMethod.Post, OwnerPath(owner, "messages"), Json(request), Access.Tenant, cancellationToken,
            _options.AutomaticIdempotencyKeys ? Guid.NewGuid().ToString("N") : null);

    /// <summary>
    /// Stores messages for <paramref name="user"/> under <paramref name="idempotencyKey"/> (1–255 printable ASCII
    /// characters): a repeat with the same key and request, within 24 hours and even from another process, returns the
    /// first result (<see cref="IngestResult.Replayed"/>) and stores nothing.
    /// </summary>
    public Task<IngestResult> IngestAsync(string user, IngestRequest request, string idempotencyKey, CancellationToken cancellationToken = default) =>
        IngestAsync(MemoryScope.User(user), request, idempotencyKey, cancellationToken);

    /// <summary>Stores messages in <paramref name="owner"/>'s memory under <paramref name="idempotencyKey"/> (see the user overload).</summary>
    public Task<IngestResult> IngestAsync(MemoryScope owner, IngestRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return SendAsync<IngestResult>(HttpMethod.Post, OwnerPath(owner, "messages"), Json(request), Access.Tenant, cancellationToken, idempotencyKey);
    }

    /// <summary>
    /// Submits messages to be stored in the background (up to 10,000; 202 once the job is stored durably). Like
    /// <see cref="IngestAsync(string, IngestRequest, CancellationToken)"/> it carries an idempotency key (the caller's, or
    /// a fresh one), so a retried submission returns the first job.
    /// </summary>
    public Task<IngestJob> SubmitIngestAsync(string user, IngestRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SubmitIngestAsync(MemoryScope.User(user), request, idempotencyKey, cancellationToken);

    /// <summary>Submits messages to be stored in the background in <paramref name="owner"/>'s memory.</summary>
    public Task<IngestJob> SubmitIngestAsync(MemoryScope owner, IngestRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync<IngestJob>(HttpMethod.Post, OwnerPath(owner, "messages?async=true"), Json(request), Access.Tenant, cancellationToken,
            idempotencyKey ?? (_options.AutomaticIdempotencyKeys ? Guid.NewGuid().ToString("N") : null));

    /// <summary>An asynchronous ingest's status.</summary>
    public Task<IngestJob> GetIngestJobAsync(string user, string jobId, CancellationToken cancellationToken = default) =>
        GetIngestJobAsync(MemoryScope.User(user), jobId, cancellationToken);

    /// <summary>An asynchronous ingest's status.</summary>
    public Task<IngestJob> GetIngestJobAsync(MemoryScope owner, string jobId, CancellationToken cancellationToken = default) =>
        SendAsync<IngestJob>(HttpMethod.Get, OwnerPath(owner, "jobs/" + Uri.EscapeDataString(jobId)), null, Access.Tenant, cancellationToken);

    /// <summary>Polls an asynchronous ingest every <paramref name="interval"/> until it succeeds or fails; <paramref name="progress"/> sees every status.</summary>
    public Task<IngestJob> WaitForIngestJobAsync(string user, string jobId, TimeSpan interval, IProgress<IngestJob>? progress = null, CancellationToken cancellationToken = default) =>
        WaitForIngestJobAsync(MemoryScope.User(user), jobId, interval, progress, cancellationToken);

    /// <summary>Polls an asynchronous ingest of <paramref name="owner"/> until it succeeds or fails.</summary>
    public async Task<IngestJob> WaitForIngestJobAsync(MemoryScope owner, string jobId, TimeSpan interval, IProgress<IngestJob>? progress = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var job = await GetIngestJobAsync(owner, jobId, cancellationToken);
            progress?.Report(job);
            if (job.Status is "succeeded" or "failed")
            {
                return job;
            }

            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>Searches <paramref name="user"/>'s memory.</summary>
    public Task<SearchResult> SearchAsync(string user, SearchRequest request, CancellationToken cancellationToken = default) =>
        SearchAsync(MemoryScope.User(user), request, cancellationToken);

    /// <summary>Searches <paramref name="owner"/>'s memory.</summary>
    public Task<SearchResult> SearchAsync(MemoryScope owner, SearchRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<SearchResult>(HttpMethod.Post, OwnerPath(owner, "search"), Json(request), Access.Tenant, cancellationToken);

    /// <summary>Several searches of <paramref name="user"/>'s memory in one request (1 … 10), answered in order.</summary>
    public Task<BatchSearchResult> SearchBatchAsync(string user, BatchSearchRequest request, CancellationToken cancellationToken = default) =>
        SearchBatchAsync(MemoryScope.User(user), request, cancellationToken);

    /// <summary>Several searches of <paramref name="owner"/>'s memory in one request (1 … 10), answered in order.</summary>
    public Task<BatchSearchResult> SearchBatchAsync(MemoryScope owner, BatchSearchRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<BatchSearchResult>(HttpMethod.Post, OwnerPath(owner, "search/batch"), Json(request), Access.Tenant, cancellationToken);

    /// <summary>Reports which items of a search the agent used (they reinforce each other).</summary>
    public Task ReportUsageAsync(string user, UsageReport report, CancellationToken cancellationToken = default) =>
        ReportUsageAsync(MemoryScope.User(user), report, cancellationToken);

    /// <summary>Reports which items of a search of <paramref name="owner"/>'s memory the agent used.</summary>
    public Task ReportUsageAsync(MemoryScope owner, UsageReport report, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, OwnerPath(owner, "usage"), Json(report), Access.Tenant, cancellationToken);

    /// <summary>The user's profile and knowledge.</summary>
    public Task<ProfileResult> GetProfileAsync(string user, CancellationToken cancellationToken = default) =>
        GetProfileAsync(MemoryScope.User(user), cancellationToken);

    /// <summary>The owner's profile and knowledge.</summary>
    public Task<ProfileResult> GetProfileAsync(MemoryScope owner, CancellationToken cancellationToken = default) =>
        SendAsync<ProfileResult>(HttpMethod.Get, OwnerPath(owner, "profile"), null, Access.Tenant, cancellationToken);

    /// <summary>A page of the user's memories in id order, skipping <paramref name="offset"/> of them.</summary>
    public Task<MemoryPage> ListMemoriesAsync(string user, long offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        ListMemoriesAsync(MemoryScope.User(user), null, offset, limit, cancellationToken);

    /// <summary>A page of the owner's memories in id order, skipping <paramref name="offset"/> of them.</summary>
    public Task<MemoryPage> ListMemoriesAsync(MemoryScope owner, long offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        ListMemoriesAsync(owner, null, offset, limit, cancellationToken);

    /// <summary>A page of the user's memories matching <paramref name="filter"/> (null: all), in id order, skipping <paramref name="offset"/> of them.</summary>
    public Task<MemoryPage> ListMemoriesAsync(string user, MemoryFilter? filter, long offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        ListMemoriesAsync(MemoryScope.User(user), filter, offset, limit, cancellationToken);

    /// <summary>A page of the owner's memories matching <paramref name="filter"/> (null: all), in id order, skipping <paramref name="offset"/> of them.</summary>
    public Task<MemoryPage> ListMemoriesAsync(MemoryScope owner, MemoryFilter? filter, long offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<MemoryPage>(HttpMethod.Get, OwnerPath(owner, "memories" + MemoryQuery.Of(filter, offset, limit)), null, Access.Tenant, cancellationToken);

    /// <summary>Changes a memory's content and/or metadata; returns it as it is now (its old version goes into its history).</summary>
    public Task<MemoryRecord> UpdateMemoryAsync(string user, long id, MemoryUpdateRequest update, CancellationToken cancellationToken = default) =>
        UpdateMemoryAsync(MemoryScope.User(user), id, update, cancellationToken);

    /// <summary>Changes a memory of <paramref name="owner"/>; returns it as it is now.</summary>
    public Task<MemoryRecord> UpdateMemoryAsync(MemoryScope owner, long id, MemoryUpdateRequest update, CancellationToken cancellationToken = default) =>
        SendAsync<MemoryRecord>(HttpMethod.Patch, OwnerPath(owner, string.Create(CultureInfo.InvariantCulture, $"memories/{id}")), Json(update), Access.Tenant, cancellationToken);

    /// <summary>Every version of a memory, oldest first.</summary>
    public Task<MemoryHistory> GetMemoryHistoryAsync(string user, long id, CancellationToken cancellationToken = default) =>
        GetMemoryHistoryAsync(MemoryScope.User(user), id, cancellationToken);

    /// <summary>Every version of a memory of <paramref name="owner"/>, oldest first.</summary>
    public Task<MemoryHistory> GetMemoryHistoryAsync(MemoryScope owner, long id, CancellationToken cancellationToken = default) =>
        SendAsync<MemoryHistory>(HttpMethod.Get, OwnerPath(owner, string.Create(CultureInfo.InvariantCulture, $"memories/{id}/history")), null, Access.Tenant, cancellationToken);

    /// <summary>One memory.</summary>
    public Task<MemoryRecord> GetMemoryAsync(string user, long id, CancellationToken cancellationToken = default) =>
        GetMemoryAsync(MemoryScope.User(user), id, cancellationToken);

    /// <summary>One memory of the owner.</summary>
    public Task<MemoryRecord> GetMemoryAsync(MemoryScope owner, long id, CancellationToken cancellationToken = default) =>
        SendAsync<MemoryRecord>(HttpMethod.Get, OwnerPath(owner, string.Create(CultureInfo.InvariantCulture, $"memories/{id}")), null, Access.Tenant, cancellationToken);

    /// <summary>Hard-deletes one memory.</summary>
    public Task DeleteMemoryAsync(string user, long id, CancellationToken cancellationToken = default) =>
        DeleteMemoryAsync(MemoryScope.User(user), id, cancellationToken);

    /// <summary>Hard-deletes one memory of the owner.</summary>
    public Task DeleteMemoryAsync(MemoryScope owner, long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, OwnerPath(owner, string.Create(CultureInfo.InvariantCulture, $"memories/{id}")), null, Access.Tenant, cancellationToken);

    /// <summary>Hard-deletes the user everywhere; returns the receipt.</summary>
    public Task<DeletionReceipt> DeleteUserAsync(string user, CancellationToken cancellationToken = default) =>
        DeleteOwnerAsync(MemoryScope.User(user), cancellationToken);

    /// <summary>Hard-deletes the owner's whole memory (a user, an agent or a run); returns the receipt.</summary>
    public Task<DeletionReceipt> DeleteOwnerAsync(MemoryScope owner, CancellationToken cancellationToken = default) =>
        SendAsync<DeletionReceipt>(HttpMethod.Delete, OwnerPath(owner, null), null, Access.Tenant, cancellationToken);

    /// <summary>Runs consolidation for the user now.</summary>
    public Task<ConsolidationResult> ConsolidateAsync(string user, CancellationToken cancellationToken = default) =>
        ConsolidateAsync(MemoryScope.User(user), cancellationToken);

    /// <summary>Runs consolidation of the owner's memory now.</summary>
    public Task<ConsolidationResult> ConsolidateAsync(MemoryScope owner, CancellationToken cancellationToken = default) =>
        SendAsync<ConsolidationResult>(HttpMethod.Post, OwnerPath(owner, "consolidate"), null, Access.Tenant, cancellationToken);

    /// <summary>
    /// Re-embeds the user's memories with the server's embedder (after the server changed <c>HelaMem:Embedder</c>, searches
    /// and ingests of a memory built with the old one answer 409 <c>embedder-mismatch</c>). Idempotent.
    /// </summary>
    public Task<ReembedResult> ReembedAsync(string user, CancellationToken cancellationToken = default) =>
        ReembedAsync(MemoryScope.User(user), cancellationToken);

    /// <summary>Re-embeds the owner's memories (a user's, an agent's or a run's) with the server's embedder. Idempotent.</summary>
    public Task<ReembedResult> ReembedAsync(MemoryScope owner, CancellationToken cancellationToken = default) =>
        SendAsync<ReembedResult>(HttpMethod.Post, OwnerPath(owner, "reembed"), null, Access.Tenant, cancellationToken);

    /// <summary>
    /// Runs consolidation of the owner's memory now (pending hubs and every new turn become profile and facts); with
    /// <paramref name="forget"/> also the forgetting sweep.
    /// </summary>
    public Task<ConsolidationResult> ConsolidateAsync(MemoryScope owner, bool forget, CancellationToken cancellationToken = default) =>
        SendAsync<ConsolidationResult>(HttpMethod.Post, OwnerPath(owner, forget ? "consolidate?forget=true" : "consolidate"), null, Access.Tenant, cancellationToken);

    /// <summary>The user's statistics.</summary>
    public Task<UserStats> GetUserStatsAsync(string user, CancellationToken cancellationToken = default) =>
        GetOwnerStatsAsync(MemoryScope.User(user), cancellationToken);

    /// <summary>The owner's statistics (a user's, an agent's or a run's).</summary>
    public Task<UserStats> GetOwnerStatsAsync(MemoryScope owner, CancellationToken cancellationToken = default) =>
        SendAsync<UserStats>(HttpMethod.Get, OwnerPath(owner, "stats"), null, Access.Tenant, cancellationToken);

    /// <summary>Creates a tenant and its first API key (operator).</summary>
    public Task<IssuedApiKey> CreateTenantAsync(CreateTenantRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<IssuedApiKey>(HttpMethod.Post, "v1/admin/tenants", Json(request), Access.Operator, cancellationToken);

    /// <summary>Every tenant (operator).</summary>
    public Task<TenantList> ListTenantsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<TenantList>(HttpMethod.Get, "v1/admin/tenants", null, Access.Operator, cancellationToken);

    /// <summary>One tenant (operator).</summary>
    public Task<TenantInfo> GetTenantAsync(string tenant, CancellationToken cancellationToken = default) =>
        SendAsync<TenantInfo>(HttpMethod.Get, TenantPath(tenant, null), null, Access.Operator, cancellationToken);

    /// <summary>Changes a tenant's quotas, retrieval overrides and/or LLM provider override (operator); returns the tenant as it now is.</summary>
    public Task<TenantInfo> UpdateTenantSettingsAsync(string tenant, TenantSettingsUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync<TenantInfo>(HttpMethod.Put, TenantPath(tenant, "settings"), Json(update), Access.Operator, cancellationToken);

    /// <summary>
    /// Replaces a tenant's LLM provider override (operator), keeping its quotas and retrieval overrides; fields left
    /// null keep the silo's values. Returns the tenant as it now is.
    /// </summary>
    public Task<TenantInfo> SetTenantLlmAsync(string tenant, TenantLlmSettings llm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(llm);
        return UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(Llm: llm), cancellationToken);
    }

    /// <summary>Removes a tenant's LLM provider override (operator): it uses the silo's provider as configured again.</summary>
    public Task<TenantInfo> ClearTenantLlmAsync(string tenant, CancellationToken cancellationToken = default) =>
        UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(Llm: new TenantLlmSettings()), cancellationToken);

    /// <summary>Disables a tenant: its keys are refused until it is enabled again (operator).</summary>
    public Task<TenantInfo> DisableTenantAsync(string tenant, CancellationToken cancellationToken = default) =>
        SendAsync<TenantInfo>(HttpMethod.Post, TenantPath(tenant, "disable"), null, Access.Operator, cancellationToken);

    /// <summary>Enables a disabled tenant (operator).</summary>
    public Task<TenantInfo> EnableTenantAsync(string tenant, CancellationToken cancellationToken = default) =>
        SendAsync<TenantInfo>(HttpMethod.Post, TenantPath(tenant, "enable"), null, Access.Operator, cancellationToken);

    /// <summary>Issues another API key for a tenant (operator).</summary>
    public Task<IssuedApiKey> IssueKeyAsync(string tenant, CancellationToken cancellationToken = default) =>
        SendAsync<IssuedApiKey>(HttpMethod.Post, TenantPath(tenant, "keys"), null, Access.Operator, cancellationToken);

    /// <summary>Revokes an API key (operator).</summary>
    public Task RevokeKeyAsync(string tenant, string keyId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, TenantPath(tenant, "keys/" + Uri.EscapeDataString(keyId)), null, Access.Operator, cancellationToken);

    /// <summary>A tenant's usage (operator).</summary>
    public Task<TenantStats> GetTenantStatsAsync(string tenant, CancellationToken cancellationToken = default) =>
        SendAsync<TenantStats>(HttpMethod.Get, TenantPath(tenant, "stats"), null, Access.Operator, cancellationToken);

    /// <summary>
    /// A page of a tenant's memory owners (users, agents, runs) by scope and id (operator); pass the page's
    /// <see cref="OwnerPage.NextCursor"/> as <paramref name="cursor"/> for the next one (null: the first page).
    /// </summary>
    public Task<OwnerPage> ListTenantOwnersAsync(string tenant, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"users?limit={limit}") + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
        return SendAsync<OwnerPage>(HttpMethod.Get, TenantPath(tenant, query), null, Access.Operator, cancellationToken);
    }

    /// <summary>
    /// Deletes a tenant with every owner's memory, its keys and its records (operator); returns the receipt. A delete
    /// that failed half-way is finished by calling this again (the client retries it like any DELETE).
    /// </summary>
    public Task<TenantDeletionReceipt> DeleteTenantAsync(string tenant, CancellationToken cancellationToken = default) =>
        SendAsync<TenantDeletionReceipt>(HttpMethod.Delete, TenantPath(tenant, null), null, Access.Operator, cancellationToken);

    /// <summary>The cluster's state (operator).</summary>
    public Task<ClusterStats> GetClusterStatsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ClusterStats>(HttpMethod.Get, "v1/admin/cluster", null, Access.Operator, cancellationToken);

    /// <summary>
    /// The whole cluster's live view (operator): every silo and its health, every tenant's recent ingests, searches
    /// with p50/p99, rate-limit refusals and token use, consolidation runs and semantic items, storage latency.
    /// </summary>
    public Task<OperatorStats> GetOperatorStatsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<OperatorStats>(HttpMethod.Get, "v1/admin/stats", null, Access.Operator, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string OwnerPath(MemoryScope owner, string? rest)
    {
        var path = owner.Path;
        return rest is null ? path : path + "/" + rest;
    }

    private static string TenantPath(string tenant, string? rest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var path = "v1/admin/tenants/" + Uri.EscapeDataString(tenant);
        return rest is null ? path : path + "/" + rest;
    }
}
