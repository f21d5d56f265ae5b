using HelaMem.Abstractions.Keys;
using System.ComponentModel;
using HelaMem.Client.Contracts;
using HelaMem.Client.Mcp;
using HelaMem.Silo.Api;
using HelaMem.Silo.Security;
using ModelContextProtocol.Server;

namespace HelaMem.Silo.Mcp;

/// <summary>
/// The MCP tools of the silo's <c>/mcp</c> endpoint. Each tool is one call of the tenant routes' own logic
/// (<see cref="MemoryService"/>), so validation, quotas and refusals are exactly the HTTP API's; the tenant is the one
/// the request's API key authenticated (<see cref="TenantAuthentication"/>), never an argument. Arguments are the HTTP
/// request's fields, flat, so a new field of a request is one more parameter here (and in the CLI's
/// <c>ClientMemoryTools</c>, which must list the same tools). Names and descriptions: <see cref="MemoryToolText"/>.
/// </summary>
[McpServerToolType]
internal sealed class MemoryTools(MemoryService memory, IHttpContextAccessor http)
{
    // The tools take a user id (MCP's memory owner is the user); it is checked as the route checks it, in the same words.
    private static MemoryOwner Owner(string user) =>
        UserIdCheck.Problem(user) is { } problem ? throw ApiProblemException.BadRequest(problem) : MemoryOwner.User(user);

    // Stateless Streamable HTTP runs each tool call inside the HTTP request that carried it, after authentication.
    private string Tenant => TenantAuthentication.TenantOf(http.HttpContext ?? throw new InvalidOperationException("A tool ran outside an HTTP request."));

    [McpServerTool(Name = MemoryToolText.Names.AddMemories, Title = MemoryToolText.Titles.AddMemories, UseStructuredContent = true, Destructive = false, OpenWorld = false)]
    [Description(MemoryToolText.Tools.AddMemories)]
    public Task<IngestResult> AddMemoriesAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Messages)] IReadOnlyList<MessageInput> messages,
        [Description(MemoryToolText.Arguments.Deduplicate)] bool deduplicate = false,
        [Description(MemoryToolText.Arguments.IdempotencyKey)] string? idempotencyKey = null)
    {
        ToolValueRules.RequireIdempotencyKey(idempotencyKey, nameof(idempotencyKey));
        return memory.IngestAsync(Tenant, Owner(user), ToolRequests.Ingest(messages, deduplicate), idempotencyKey);
    }

    [McpServerTool(Name = MemoryToolText.Names.SearchMemories, Title = MemoryToolText.Titles.SearchMemories, UseStructuredContent = true, Destructive = false, OpenWorld = false)]
    [Description(MemoryToolText.Tools.SearchMemories)]
    public Task<SearchResult> SearchMemoriesAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Query)] string query,
        [Description(MemoryToolText.Arguments.TopK)] int? topK = null,
        [Description(MemoryToolText.Arguments.IncludeSemantic)] bool includeSemantic = true,
        [Description(MemoryToolText.Arguments.Explain)] bool explain = false,
        [Description(MemoryToolText.Arguments.Filter)] MemoryFilter? filter = null) =>
        memory.SearchAsync(Tenant, Owner(user), ToolRequests.Search(query, topK, includeSemantic, explain, filter));

    [McpServerTool(Name = MemoryToolText.Names.GetProfile, Title = MemoryToolText.Titles.GetProfile, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.GetProfile)]
    public Task<ProfileResult> GetProfileAsync([Description(MemoryToolText.Arguments.User)] string user) =>
        memory.ProfileAsync(Tenant, Owner(user));

    [McpServerTool(Name = MemoryToolText.Names.ListMemories, Title = MemoryToolText.Titles.ListMemories, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.ListMemories)]
    public Task<MemoryPage> ListMemoriesAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Offset)] long offset = 0,
        [Description(MemoryToolText.Arguments.Limit)] int limit = 100,
        [Description(MemoryToolText.Arguments.Filter)] MemoryFilter? filter = null) =>
        memory.ListAsync(Tenant, Owner(user), offset, limit, filter);

    [McpServerTool(Name = MemoryToolText.Names.GetMemory, Title = MemoryToolText.Titles.GetMemory, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.GetMemory)]
    public Task<MemoryRecord> GetMemoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id) =>
        memory.GetAsync(Tenant, Owner(user), id);

    [McpServerTool(Name = MemoryToolText.Names.DeleteMemory, Title = MemoryToolText.Titles.DeleteMemory, UseStructuredContent = true, Destructive = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.DeleteMemory)]
    public async Task<MemoryDeleted> DeleteMemoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id)
    {
        await memory.DeleteMemoryAsync(Tenant, Owner(user), id);
        return new MemoryDeleted(user, id);
    }

    [McpServerTool(Name = MemoryToolText.Names.ReportUsage, Title = MemoryToolText.Titles.ReportUsage, UseStructuredContent = true, Destructive = false, OpenWorld = false)]
    [Description(MemoryToolText.Tools.ReportUsage)]
    public async Task<UsageRecorded> ReportUsageAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.RetrievalId)] long retrievalId,
        [Description(MemoryToolText.Arguments.NodeIds)] IReadOnlyList<long> nodeIds)
    {
        await memory.ReportUsageAsync(Tenant, Owner(user), new UsageReport(retrievalId, nodeIds));
        return new UsageRecorded(user, retrievalId, nodeIds);
    }

    [McpServerTool(Name = MemoryToolText.Names.UpdateMemory, Title = MemoryToolText.Titles.UpdateMemory, UseStructuredContent = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.UpdateMemory)]
    public Task<MemoryRecord> UpdateMemoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id,
        [Description(MemoryToolText.Arguments.Content)] string? content = null,
        [Description(MemoryToolText.Arguments.Metadata)] IReadOnlyDictionary<string, string>? metadata = null) =>
        memory.UpdateAsync(Tenant, Owner(user), id, new MemoryUpdateRequest(content, metadata));

    [McpServerTool(Name = MemoryToolText.Names.MemoryHistory, Title = MemoryToolText.Titles.MemoryHistory, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.MemoryHistory)]
    public Task<MemoryHistory> MemoryHistoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id) =>
        memory.HistoryAsync(Tenant, Owner(user), id);
}
