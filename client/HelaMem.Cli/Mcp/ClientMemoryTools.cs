using System.ComponentModel;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Client.Mcp;
using ModelContextProtocol.Server;

namespace HelaMem.Cli.Mcp;

/// <summary>
/// The tools of <c>helamem mcp</c>: the same tools as the silo's <c>/mcp</c> endpoint (its <c>MemoryTools</c>: names,
/// descriptions, arguments and results), each forwarded to a silo through <see cref="HelaMemClient"/>, so the silo's
/// validation and refusals apply unchanged. The tenant is the one of the client's API key (HELAMEM_API_KEY).
/// </summary>
[McpServerToolType]
internal sealed class ClientMemoryTools(HelaMemClient client)
{
    [McpServerTool(Name = MemoryToolText.Names.AddMemories, Title = MemoryToolText.Titles.AddMemories, UseStructuredContent = true, Destructive = false, OpenWorld = false)]
    [Description(MemoryToolText.Tools.AddMemories)]
    public Task<IngestResult> AddMemoriesAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Messages)] IReadOnlyList<MessageInput> messages,
        [Description(MemoryToolText.Arguments.Deduplicate)] bool deduplicate = false,
        [Description(MemoryToolText.Arguments.IdempotencyKey)] string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ToolValueRules.RequireIdempotencyKey(idempotencyKey, nameof(idempotencyKey));
        var request = ToolRequests.Ingest(messages, deduplicate);

        // Without a key of the caller's, the client sends one of its own, so that its own retries are safe.
        return idempotencyKey is null
            ? client.IngestAsync(User(user), request, cancellationToken)
            : client.IngestAsync(User(user), request, idempotencyKey, cancellationToken);
    }

    [McpServerTool(Name = MemoryToolText.Names.SearchMemories, Title = MemoryToolText.Titles.SearchMemories, UseStructuredContent = true, Destructive = false, OpenWorld = false)]
    [Description(MemoryToolText.Tools.SearchMemories)]
    public Task<SearchResult> SearchMemoriesAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Query)] string query,
        [Description(MemoryToolText.Arguments.TopK)] int? topK = null,
        [Description(MemoryToolText.Arguments.IncludeSemantic)] bool includeSemantic = true,
        [Description(MemoryToolText.Arguments.Explain)] bool explain = false,
        [Description(MemoryToolText.Arguments.Filter)] MemoryFilter? filter = null,
        CancellationToken cancellationToken = default) =>
        client.SearchAsync(User(user), ToolRequests.Search(query, topK, includeSemantic, explain, filter), cancellationToken);

    [McpServerTool(Name = MemoryToolText.Names.GetProfile, Title = MemoryToolText.Titles.GetProfile, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.GetProfile)]
    public Task<ProfileResult> GetProfileAsync([Description(MemoryToolText.Arguments.User)] string user, CancellationToken cancellationToken) =>
        client.GetProfileAsync(User(user), cancellationToken);

    [McpServerTool(Name = MemoryToolText.Names.ListMemories, Title = MemoryToolText.Titles.ListMemories, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.ListMemories)]
    public Task<MemoryPage> ListMemoriesAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Offset)] long offset = 0,
        [Description(MemoryToolText.Arguments.Limit)] int limit = 100,
        [Description(MemoryToolText.Arguments.Filter)] MemoryFilter? filter = null,
        CancellationToken cancellationToken = default)
    {
        // The client sends the filter as the listing's query string; what that cannot carry is refused here in the
        // words the silo's endpoint uses for the filter object.
        var checkedUser = User(user);
        ToolValueRules.RequireListingFilter(filter);
        return client.ListMemoriesAsync(checkedUser, filter, offset, limit, cancellationToken);
    }

    [McpServerTool(Name = MemoryToolText.Names.GetMemory, Title = MemoryToolText.Titles.GetMemory, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.GetMemory)]
    public Task<MemoryRecord> GetMemoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id,
        CancellationToken cancellationToken) =>
        client.GetMemoryAsync(User(user), id, cancellationToken);

    [McpServerTool(Name = MemoryToolText.Names.DeleteMemory, Title = MemoryToolText.Titles.DeleteMemory, UseStructuredContent = true, Destructive = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.DeleteMemory)]
    public async Task<MemoryDeleted> DeleteMemoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id,
        CancellationToken cancellationToken)
    {
        await client.DeleteMemoryAsync(User(user), id, cancellationToken);
        return new MemoryDeleted(user, id);
    }

    [McpServerTool(Name = MemoryToolText.Names.ReportUsage, Title = MemoryToolText.Titles.ReportUsage, UseStructuredContent = true, Destructive = false, OpenWorld = false)]
    [Description(MemoryToolText.Tools.ReportUsage)]
    public async Task<UsageRecorded> ReportUsageAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.RetrievalId)] long retrievalId,
        [Description(MemoryToolText.Arguments.NodeIds)] IReadOnlyList<long> nodeIds,
        CancellationToken cancellationToken)
    {
        await client.ReportUsageAsync(User(user), new UsageReport(retrievalId, nodeIds), cancellationToken);
        return new UsageRecorded(user, retrievalId, nodeIds);
    }

    [McpServerTool(Name = MemoryToolText.Names.UpdateMemory, Title = MemoryToolText.Titles.UpdateMemory, UseStructuredContent = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.UpdateMemory)]
    public Task<MemoryRecord> UpdateMemoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id,
        [Description(MemoryToolText.Arguments.Content)] string? content = null,
        [Description(MemoryToolText.Arguments.Metadata)] IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        client.UpdateMemoryAsync(User(user), id, new MemoryUpdateRequest(content, metadata), cancellationToken);

    [McpServerTool(Name = MemoryToolText.Names.MemoryHistory, Title = MemoryToolText.Titles.MemoryHistory, UseStructuredContent = true, ReadOnly = true, OpenWorld = false)]
    [Description(MemoryToolText.Tools.MemoryHistory)]
    public Task<MemoryHistory> MemoryHistoryAsync(
        [Description(MemoryToolText.Arguments.User)] string user,
        [Description(MemoryToolText.Arguments.Id)] long id,
        CancellationToken cancellationToken) =>
        client.GetMemoryHistoryAsync(User(user), id, cancellationToken);

    // A blank id cannot be put into the request's path; every other id goes to the silo, which judges it.
    private static string User(string user) =>
        string.IsNullOrWhiteSpace(user)
            ? throw new ArgumentException($"Invalid user id '{user}': it is empty or blank; a user id is 1-128 characters: letters, digits, '-', '_', '.' and '@'.")
            : user;
}
