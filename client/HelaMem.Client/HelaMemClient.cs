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

    /// <summary>Stores messages for <paramref name="user"/>.</summary>
    public Task<IngestResult> IngestAsync(string user, IngestRequest request, CancellationToken cancellationToken = default) =>
        IngestAsync(MemoryScope.User(user), request, cancellationToken);

    /// <summary>Stores messages in <paramref name="owner"/>'s memory (a user's, an agent's or a run's).</summary>
    public Task<IngestResult> IngestAsync(MemoryScope owner, IngestRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<IngestResult>(HttpMethod.Post, OwnerPath(owner, "messages"), Json(request), Access.Tenant, cancellationToken);

    /// <summary>Searches <paramref name="user"/>'s memory.</summary>
    public Task<SearchResult> SearchAsync(string user, SearchRequest request, CancellationToken cancellationToken = default) =>
        SearchAsync(MemoryScope.User(user), request, cancellationToken);

    /// <summary>Searches <paramref name="owner"/>'s memory.</summary>
    public Task<SearchResult> SearchAsync(MemoryScope owner, SearchRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<SearchResult>(HttpMethod.Post, OwnerPath(owner, "search"), Json(request), Access.Tenant, cancellationToken);

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

    /// <summary>A page of the user's memories, from id <paramref name="offset"/>.</summary>
    public Task<MemoryPage> ListMemoriesAsync(string user, long offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        ListMemoriesAsync(MemoryScope.User(user), offset, limit, cancellationToken);

    /// <summary>A page of the owner's memories, from id <paramref name="offset"/>.</summary>
    public Task<MemoryPage> ListMemoriesAsync(MemoryScope owner, long offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<MemoryPage>(HttpMethod.Get, OwnerPath(owner, string.Create(CultureInfo.InvariantCulture, $"memories?offset={offset}&limit={limit}")), null, Access.Tenant, cancellationToken);

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

    /// <summary>Changes a tenant's quotas and/or retrieval overrides (operator); returns the tenant as it now is.</summary>
    public Task<TenantInfo> UpdateTenantSettingsAsync(string tenant, TenantSettingsUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync<TenantInfo>(HttpMethod.Put, TenantPath(tenant, "settings"), Json(update), Access.Operator, cancellationToken);

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
