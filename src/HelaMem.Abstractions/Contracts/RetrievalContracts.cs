namespace HelaMem.Abstractions.Contracts;

/// <summary>A retrieval request.</summary>
/// <param name="Query">What to remember (must not be empty).</param>
/// <param name="Now">The retrieval time (temporal decay measured from "now", access times).</param>
/// <param name="MaxItems">
/// At most this many episodic items are returned (the first ones of the response's order) and only they enter the
/// assembled context; null: all (k base + up to m flipped). At least 1. It trims the answer only: the retrieval learns
/// (access counts, Hebbian reinforcement) from the whole selected set, exactly as without the limit, so the graph
/// evolves the same whatever the callers ask for.
/// </param>
public sealed record RetrieveRequest(string Query, DateTimeOffset Now, int? MaxItems = null);

/// <summary>Which pathway put an episodic item into the result.</summary>
public enum RetrievalPathway
{
    /// <summary>Among the top k by base score.</summary>
    Base,

    /// <summary>Among the top k after spreading but not by base score: associatively close, semantically distant.</summary>
    Flip,
}

/// <summary>An episodic item of a retrieval.</summary>
/// <param name="NodeId">The node id.</param>
/// <param name="Content">The remembered text.</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Timestamp">When it was said.</param>
/// <param name="BaseScore">S_base.</param>
/// <param name="Score">S, after spreading.</param>
/// <param name="Pathway">How it was selected.</param>
/// <param name="Metadata">The metadata given when the message was ingested (null: none).</param>
public sealed record RetrievedItem(
    long NodeId,
    string Content,
    string Speaker,
    DateTimeOffset Timestamp,
    float BaseScore,
    float Score,
    RetrievalPathway Pathway,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>The kinds of semantic memory.</summary>
public enum SemanticItemKind
{
    /// <summary>About the user: traits, preferences, style, values.</summary>
    Profile,

    /// <summary>Events, dates, places, stated preferences.</summary>
    Fact,

    /// <summary>What the assistant said about itself.</summary>
    AgentKnowledge,
}

/// <summary>A semantic item.</summary>
/// <param name="Kind">Profile, fact or agent knowledge.</param>
/// <param name="Text">The item.</param>
/// <param name="Sources">The node ids it was derived from.</param>
public sealed record SemanticItemData(SemanticItemKind Kind, string Text, IReadOnlyList<long> Sources);

/// <summary>What a retrieval returns.</summary>
/// <param name="RetrievalId">The learning step this retrieval opened (reinforcement of its result is idempotent per id).</param>
/// <param name="Items">Episodic items: base pathway first (best base score first), then flipped ones.</param>
/// <param name="Knowledge">Retrieved facts and agent knowledge.</param>
/// <param name="Profile">The profile items that accompany the context.</param>
/// <param name="Context">The assembled context text.</param>
/// <param name="ContextTokens">Its size in words (the unit of the LoCoMo reference figures).</param>
/// <param name="RetrievalProfile">The graph's retrieval profile ("paper", "helamem"), so a caller extracts query keywords as the graph does.</param>
public sealed record RetrievalResponse(
    long RetrievalId,
    IReadOnlyList<RetrievedItem> Items,
    IReadOnlyList<SemanticItemData> Knowledge,
    IReadOnlyList<SemanticItemData> Profile,
    string Context,
    int ContextTokens,
    string? RetrievalProfile = null);
