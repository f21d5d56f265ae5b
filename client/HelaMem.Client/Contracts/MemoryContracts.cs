namespace HelaMem.Client.Contracts;

/// <summary>A stored memory.</summary>
/// <param name="Id">The memory id (dense per user, never reused).</param>
/// <param name="Content">The text.</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ConversationId">The conversation, when one was given.</param>
/// <param name="Role">The role, when one was given.</param>
/// <param name="Metadata">Metadata given at ingest.</param>
/// <param name="Keywords">Its keywords.</param>
/// <param name="AccessCount">How often a search returned it.</param>
/// <param name="LastAccess">When a search last returned it.</param>
/// <param name="Archived">Forgotten (out of retrieval, data kept until deleted).</param>
public sealed record MemoryRecord(
    long Id,
    string Content,
    string Speaker,
    DateTimeOffset Timestamp,
    string? ConversationId,
    string? Role,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Keywords,
    int AccessCount,
    DateTimeOffset? LastAccess,
    bool Archived);

/// <summary>A page of memories, in id order (deleted memories are skipped).</summary>
/// <param name="User">The memory owner's id (a user's, an agent's or a run's).</param>
/// <param name="Items">The memories.</param>
/// <param name="Offset">The first id looked at.</param>
/// <param name="Limit">The page size asked for.</param>
/// <param name="Total">Memory ids ever assigned to the user.</param>
public sealed record MemoryPage(string User, IReadOnlyList<MemoryRecord> Items, long Offset, int Limit, long Total);

/// <summary>Proof of a memory owner's hard delete.</summary>
/// <param name="User">The owner's id (a user's, an agent's or a run's).</param>
/// <param name="NodesDeleted">Memories deleted.</param>
/// <param name="SemanticItemsDeleted">Semantic items deleted.</param>
/// <param name="DeletedAt">When.</param>
/// <param name="Scope">What the owner was: "user", "agent" or "run".</param>
public sealed record DeletionReceipt(string User, long NodesDeleted, int SemanticItemsDeleted, DateTimeOffset DeletedAt, string Scope = "user");

/// <summary>What a consolidation run did.</summary>
/// <param name="HubsPending">Hubs waiting when it started.</param>
/// <param name="HubsDistilled">Hubs distilled.</param>
/// <param name="ItemsAdded">New semantic items.</param>
/// <param name="NodesArchived">Memories archived by forgetting.</param>
/// <param name="CompletedAt">When it finished.</param>
public sealed record ConsolidationResult(int HubsPending, int HubsDistilled, int ItemsAdded, int NodesArchived, DateTimeOffset CompletedAt);

/// <summary>A memory owner's statistics.</summary>
/// <param name="User">The owner's id (a user's, an agent's or a run's).</param>
/// <param name="Nodes">Memory ids assigned.</param>
/// <param name="ActiveNodes">Memories that take part in retrieval.</param>
/// <param name="ArchivedNodes">Memories forgotten or deleted.</param>
/// <param name="Step">Learning steps (one per search).</param>
/// <param name="Retrievals">Searches served.</param>
/// <param name="SemanticItems">Semantic items.</param>
/// <param name="Scope">What the owner is: "user", "agent" or "run".</param>
public sealed record UserStats(string User, long Nodes, long ActiveNodes, long ArchivedNodes, long Step, long Retrievals, int SemanticItems, string Scope = "user");
