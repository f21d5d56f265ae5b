namespace HelaMem.Client.Contracts;

/// <summary>A search (retrieval) request.</summary>
/// <param name="Query">What to remember (required, not blank).</param>
/// <param name="TopK">
/// Most episodic items to return (1 … 100): the first TopK of the selection by score; a selection holds at most k + m
/// items (see <see cref="SearchResult.Selected"/>). Default: the whole selection.
/// </param>
/// <param name="IncludeSemantic">Return semantic knowledge and profile items too (default true).</param>
/// <param name="Explain">Add an explanation to every item (default false).</param>
/// <param name="Now">The retrieval time for temporal decay; defaults to the server's clock.</param>
/// <param name="Filter">
/// Which memories the search considers (default: all). Applied inside the memory graph before top-k, so a filtered
/// search still returns up to topK items of the memories that match.
/// </param>
public sealed record SearchRequest(string? Query, int? TopK = null, bool? IncludeSemantic = null, bool? Explain = null, DateTimeOffset? Now = null, MemoryFilter? Filter = null);

/// <summary>
/// Which memories a search or a listing considers. Every condition given must hold; within one condition the values
/// are alternatives. A condition left out (or empty) does not restrict.
/// </summary>
/// <param name="Metadata">Per metadata key, the values the memory's value must be one of (one value: equality).</param>
/// <param name="ConversationIds">The conversations a memory must belong to (exact).</param>
/// <param name="Speakers">The speakers a memory must be said by (case-insensitive).</param>
/// <param name="Roles">The roles a memory must have been stored with (case-insensitive).</param>
/// <param name="From">Only memories said at or after this time.</param>
/// <param name="Until">Only memories said before this time.</param>
public sealed record MemoryFilter(
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Metadata = null,
    IReadOnlyList<string>? ConversationIds = null,
    IReadOnlyList<string>? Speakers = null,
    IReadOnlyList<string>? Roles = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null);

/// <summary>Several searches of one user's memory in one request, answered in order.</summary>
/// <param name="Searches">The searches (1 … 10), each as a single search's body.</param>
public sealed record BatchSearchRequest(IReadOnlyList<SearchRequest>? Searches);

/// <summary>The answers of a batch search, in request order.</summary>
/// <param name="Results">One search result per search.</param>
public sealed record BatchSearchResult(IReadOnlyList<SearchResult> Results);

/// <summary>What a search returns.</summary>
/// <param name="RetrievalId">The retrieval's id: report the items you used against it.</param>
/// <param name="Items">
/// Episodic items ordered by <see cref="MemoryItem.Score"/> (highest first, ties by id): the first topK of the search's
/// selection.
/// </param>
/// <param name="Knowledge">Semantic facts and agent knowledge.</param>
/// <param name="Profile">Profile items.</param>
/// <param name="Context">The assembled context text.</param>
/// <param name="ContextTokens">Its size in tokens (words).</param>
/// <param name="RetrievalProfile">The user's retrieval profile ("paper" or "helamem"), the one its memory graph was created with.</param>
/// <param name="Selected">
/// How many items the search selected (k base-pathway items and up to m flipped ones, fewer for a small memory);
/// <see cref="Items"/> holds the first topK of them, so fewer than topK items means the selection had no more.
/// </param>
/// <param name="Scope">What the searched memory's owner is: "user", "agent" or "run".</param>
/// <param name="Degraded">
/// True when the query could not be embedded (the silo embeds remotely and its provider is unavailable): the items were
/// ranked by keyword, speaker, time and graph scores only, and no knowledge items are returned. False otherwise.
/// </param>
/// <param name="DegradedReason">Why the search was degraded (the provider's failure in HelaMem's words); null when it was not.</param>
public sealed record SearchResult(
    long RetrievalId,
    IReadOnlyList<MemoryItem> Items,
    IReadOnlyList<SemanticItem> Knowledge,
    IReadOnlyList<SemanticItem> Profile,
    string Context,
    int ContextTokens,
    string? RetrievalProfile = null,
    int? Selected = null,
    string Scope = "user",
    bool Degraded = false,
    string? DegradedReason = null);

/// <summary>An episodic item of a search.</summary>
/// <param name="Id">The memory id.</param>
/// <param name="Pathway">"base" (semantically close) or "flip" (associatively close).</param>
/// <param name="Score">The score after spreading activation: the items' order.</param>
/// <param name="BaseScore">The base score (similarity, keywords, decay).</param>
/// <param name="Content">The remembered text.</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ConversationId">The conversation, when one was given.</param>
/// <param name="Role">The role, when one was given.</param>
/// <param name="Metadata">The metadata given at ingest.</param>
/// <param name="Explanation">Why it was retrieved (only when asked).</param>
public sealed record MemoryItem(
    long Id,
    string Pathway,
    float Score,
    float BaseScore,
    string Content,
    string Speaker,
    DateTimeOffset Timestamp,
    string? ConversationId,
    string? Role,
    IReadOnlyDictionary<string, string> Metadata,
    ItemExplanation? Explanation);

/// <summary>Why an item was retrieved.</summary>
/// <param name="BaseScore">S_base.</param>
/// <param name="SpreadBoost">S − S_base: what associated memories added.</param>
/// <param name="MatchedKeywords">Query keywords the memory shares.</param>
/// <param name="KeywordOverlap">Shared keywords / query keywords.</param>
/// <param name="Neighbours">Retrieved memories linked to this one, with edge weights (for flipped items: those that lifted it).</param>
public sealed record ItemExplanation(float BaseScore, float SpreadBoost, IReadOnlyList<string> MatchedKeywords, double KeywordOverlap, IReadOnlyList<NeighbourLink> Neighbours);

/// <summary>An edge from an item to another retrieved memory.</summary>
/// <param name="Id">The neighbour's memory id.</param>
/// <param name="Weight">The edge weight.</param>
/// <param name="NeighbourBaseScore">The neighbour's base score in this retrieval.</param>
public sealed record NeighbourLink(long Id, float Weight, float NeighbourBaseScore);

/// <summary>A semantic memory item.</summary>
/// <param name="Kind">"profile", "fact" or "agentKnowledge".</param>
/// <param name="Text">The item.</param>
/// <param name="Sources">Memory ids it was distilled from (deleting all of them deletes the item).</param>
/// <param name="Subject">Whom it is about (the speaker whose words it came from); null when not known.</param>
/// <param name="Slot">The attribute it fills ("melanie|preference: painting"); a later statement on the same slot replaces it. Null: none.</param>
/// <param name="Score">In a search: the cosine between the item and the query; null elsewhere.</param>
/// <param name="Reason">In a search: why it was returned, in words; null elsewhere.</param>
public sealed record SemanticItem(string Kind, string Text, IReadOnlyList<long> Sources, string? Subject = null, string? Slot = null, float? Score = null, string? Reason = null);

/// <summary>Which retrieved items the agent actually used (reinforce on use).</summary>
/// <param name="RetrievalId">The search's retrieval id.</param>
/// <param name="NodeIds">The memory ids used (items of that search).</param>
public sealed record UsageReport(long? RetrievalId, IReadOnlyList<long>? NodeIds);

/// <summary>A memory owner's semantic memory.</summary>
/// <param name="User">The owner's id (a user's, an agent's or a run's).</param>
/// <param name="Profile">Profile items.</param>
/// <param name="Knowledge">Facts and agent knowledge.</param>
public sealed record ProfileResult(string User, IReadOnlyList<SemanticItem> Profile, IReadOnlyList<SemanticItem> Knowledge);
