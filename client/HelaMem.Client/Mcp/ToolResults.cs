namespace HelaMem.Client.Mcp;

// The HTTP API answers these two calls without a body (204, 202). An MCP tool result has content, so the tools
// confirm what was done in a small object instead.

/// <summary>What <c>delete_memory</c> returns: the memory that was deleted.</summary>
/// <param name="User">The user.</param>
/// <param name="Id">The deleted memory's id.</param>
/// <param name="Deleted">Always true: a memory that could not be deleted is a tool error.</param>
public sealed record MemoryDeleted(string User, long Id, bool Deleted = true);

/// <summary>What <c>report_usage</c> returns: the usage that was recorded.</summary>
/// <param name="User">The user.</param>
/// <param name="RetrievalId">The search the usage belongs to.</param>
/// <param name="NodeIds">The memories reported as used.</param>
public sealed record UsageRecorded(string User, long RetrievalId, IReadOnlyList<long> NodeIds);
