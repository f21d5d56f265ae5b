namespace HelaMem.Grains.Graph;

/// <summary>
/// What the user graph keeps per node beside the index, to answer a retrieval, a filter or a listing without asking
/// the node grains (in process the strings are the node grains' own instances, not copies).
/// </summary>
/// <param name="Deleted">The node was hard-deleted (or its state is gone): never listed, retrieved or updated.</param>
internal sealed record NodeSummary(
    string Content,
    string Speaker,
    DateTimeOffset Timestamp,
    string[] Keywords,
    IReadOnlyDictionary<string, string>? Metadata,
    string? Role = null,
    string? Conversation = null,
    bool Deleted = false,
    int Version = 1);
