using Orleans;

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
/// <param name="Filter">
/// Which memories take part (null: all). Memories that do not match are treated as archived for this retrieval: they
/// are neither selected nor seeds of spreading, so the result is the retrieval over the matching part of the graph.
/// </param>
[GenerateSerializer, Immutable, Alias("helamem.RetrieveRequest")]
public sealed record RetrieveRequest([Id(0)] string Query, [Id(1)] DateTimeOffset Now, [Id(2)] int? MaxItems = null, [Id(3)] MemoryFilter? Filter = null);

/// <summary>Which pathway put an episodic item into the result.</summary>
[GenerateSerializer, Alias("helamem.RetrievalPathway")]
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
/// <param name="Role">The role given at ingest (null: none).</param>
/// <param name="Conversation">The conversation id given at ingest (null: none).</param>
[GenerateSerializer, Immutable, Alias("helamem.RetrievedItem")]
public sealed record RetrievedItem(
    [Id(0)] long NodeId,
    [Id(1)] string Content,
    [Id(2)] string Speaker,
    [Id(3)] DateTimeOffset Timestamp,
    [Id(4)] float BaseScore,
    [Id(5)] float Score,
    [Id(6)] RetrievalPathway Pathway,
    [Id(7)] IReadOnlyDictionary<string, string>? Metadata = null,
    [Id(8)] string? Role = null,
    [Id(9)] string? Conversation = null);

/// <summary>The kinds of semantic memory.</summary>
[GenerateSerializer, Alias("helamem.SemanticItemKind")]
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
/// <param name="Subject">Whom it is about (the speaker whose words it came from); null: not known.</param>
/// <param name="Slot">The attribute it fills ("melanie|preference: painting"; the format of HelaMem.Core.Semantic.SemanticSlots): a later item with the same slot replaces it. Null: none.</param>
/// <param name="Score">In a search result: the cosine between the item and the query (why it matched); null elsewhere.</param>
[GenerateSerializer, Immutable, Alias("helamem.SemanticItemData")]
public sealed record SemanticItemData(
    [Id(0)] SemanticItemKind Kind,
    [Id(1)] string Text,
    [Id(2)] IReadOnlyList<long> Sources,
    [Id(3)] string? Subject = null,
    [Id(4)] string? Slot = null,
    [Id(5)] float? Score = null);

/// <summary>What a retrieval returns.</summary>
/// <param name="RetrievalId">The learning step this retrieval opened (reinforcement of its result is idempotent per id).</param>
/// <param name="Items">Episodic items: base pathway first (best base score first), then flipped ones.</param>
/// <param name="Knowledge">Retrieved facts and agent knowledge.</param>
/// <param name="Profile">The profile items that accompany the context.</param>
/// <param name="Context">The assembled context text.</param>
/// <param name="ContextTokens">Its size in words (the unit of the LoCoMo reference figures).</param>
/// <param name="RetrievalProfile">The graph's retrieval profile ("paper", "helamem"), so a caller extracts query keywords as the graph does.</param>
/// <param name="DegradedReason">
/// Null for a full retrieval; otherwise why the query could not be embedded (a remote embedder's provider is down): the
/// result then comes from keyword, speaker, time and graph scores only, and holds no knowledge items.
/// </param>
[GenerateSerializer, Immutable, Alias("helamem.RetrievalResponse")]
public sealed record RetrievalResponse(
    [Id(0)] long RetrievalId,
    [Id(1)] IReadOnlyList<RetrievedItem> Items,
    [Id(2)] IReadOnlyList<SemanticItemData> Knowledge,
    [Id(3)] IReadOnlyList<SemanticItemData> Profile,
    [Id(4)] string Context,
    [Id(5)] int ContextTokens,
    [Id(6)] string? RetrievalProfile = null,
    [Id(7)] string? DegradedReason = null)
{
    /// <summary>True when the query could not be embedded (see <see cref="DegradedReason"/>).</summary>
    public bool Degraded => DegradedReason is not null;
}
