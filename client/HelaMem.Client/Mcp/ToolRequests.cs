using HelaMem.Client.Contracts;

namespace HelaMem.Client.Mcp;

/// <summary>
/// The API requests the tools make of their arguments, built here for both MCP servers so that a call makes the same
/// request whichever server it reaches.
/// </summary>
public static class ToolRequests
{
    /// <summary>
    /// add_memories' ingest. Not de-duplicating is sent as no <c>deduplicate</c> at all, as a plain HTTP ingest sends it:
    /// an idempotency key is bound to a hash of the request, and a model that retries a call with
    /// <c>"deduplicate": false</c> it first made without it (or the other way round) makes the same request.
    /// </summary>
    public static IngestRequest Ingest(IReadOnlyList<MessageInput> messages, bool deduplicate) =>
        new(messages, deduplicate ? true : null);

    /// <summary>search_memories' search.</summary>
    public static SearchRequest Search(string query, int? topK, bool includeSemantic, bool explain, MemoryFilter? filter) =>
        new(query, topK, includeSemantic, explain, Filter: filter);
}
