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
/// <param name="Version">1 as ingested, one more per update (see the memory's history).</param>
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
    bool Archived,
    int Version = 1);

/// <summary>A page of memories in id order: those matching the listing's filter, deleted ones left out.</summary>
/// <param name="User">The memory owner's id (a user's, an agent's or a run's).</param>
/// <param name="Items">The memories.</param>
/// <param name="Offset">How many matching memories were skipped before this page.</param>
/// <param name="Limit">The page size asked for.</param>
/// <param name="Total">How many memories match in all (the next page starts at offset + limit while that is below total).</param>
public sealed record MemoryPage(string User, IReadOnlyList<MemoryRecord> Items, long Offset, int Limit, long Total);

/// <summary>A change to one memory. At least one field; a field left out is kept.</summary>
/// <param name="Content">The new text: re-embedded and re-keyworded; the memory keeps its id, time, edges and access statistics.</param>
/// <param name="Metadata">The new metadata, replacing the old as a whole ({} removes it).</param>
public sealed record MemoryUpdateRequest(string? Content = null, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>Every version of a memory, oldest first; the last is the current one.</summary>
/// <param name="User">The memory owner's id (a user's, an agent's or a run's).</param>
/// <param name="Id">The memory id.</param>
/// <param name="Versions">The versions.</param>
public sealed record MemoryHistory(string User, long Id, IReadOnlyList<MemoryVersionRecord> Versions);

/// <summary>One version of a memory.</summary>
/// <param name="Version">1 for the ingested text, one more per update.</param>
/// <param name="Event">"created" (by an ingest) or "updated".</param>
/// <param name="Content">The text of that version.</param>
/// <param name="Metadata">Its metadata.</param>
/// <param name="At">When it was stored (null for memories ingested before HelaMem recorded it).</param>
public sealed record MemoryVersionRecord(int Version, string Event, string Content, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset? At);

/// <summary>Proof of a memory owner's hard delete.</summary>
/// <param name="User">The memory owner's id (a user's, an agent's or a run's).</param>
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
/// <param name="TurnsDistilled">New turns distilled by the turn trigger (a consolidation asked for now distills every new turn).</param>
/// <param name="TurnsPending">New turns still waiting (their distillation was deferred).</param>
/// <param name="Deferred">True when the distiller could not distill now (LLM provider unavailable or its answer unusable): the work stays pending.</param>
public sealed record ConsolidationResult(int HubsPending, int HubsDistilled, int ItemsAdded, int NodesArchived, DateTimeOffset CompletedAt, int TurnsDistilled = 0, int TurnsPending = 0, bool Deferred = false);

/// <summary>What a re-embedding did (<c>POST /v1/users/{user}/reembed</c>).</summary>
/// <param name="User">The owner's id (a user's, an agent's or a run's).</param>
/// <param name="From">The embedder the memory was built with (the silo's when it already was on it).</param>
/// <param name="To">The silo's embedder, which the memory now records.</param>
/// <param name="Dimensions">The vector length of <paramref name="To"/>.</param>
/// <param name="MemoriesReembedded">Memories given new vectors.</param>
/// <param name="SemanticItemsReembedded">Semantic items given new vectors.</param>
/// <param name="Changed">False when the memory already was on the silo's embedder: nothing was done.</param>
/// <param name="Scope">What the owner is: "user", "agent" or "run".</param>
public sealed record ReembedResult(string User, string From, string To, int Dimensions, long MemoriesReembedded, int SemanticItemsReembedded,
    bool Changed, string Scope = "user");

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
