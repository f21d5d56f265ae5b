using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>A structural (non-learned) edge laid down at encoding.</summary>
/// <param name="Neighbour">The neighbour's node id.</param>
/// <param name="Weight">The weight, 0 … 1.</param>
[GenerateSerializer, Immutable, Alias("helamem.StructuralEdge")]
public readonly record struct StructuralEdge([Id(0)] long Neighbour, [Id(1)] float Weight);

/// <summary>Everything a memory-node grain stores when it is created.</summary>
/// <param name="Content">The text.</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Keywords">Its own keywords.</param>
/// <param name="Embedding">Its unit embedding (kept so the user graph can rebuild its index).</param>
/// <param name="IndexedKeywords">The keywords it is indexed under (its own, plus inherited ones when configured).</param>
/// <param name="Edges">Structural edges to earlier nodes.</param>
/// <param name="Metadata">The message's metadata (null: none), stored in the same write as the content.</param>
/// <param name="Role">The role given at ingest (null: none).</param>
/// <param name="Conversation">The conversation id given at ingest (null: none).</param>
/// <param name="CreatedAt">When the ingest stored it (the start of its history).</param>
[GenerateSerializer, Immutable, Alias("helamem.NodeCreation")]
public sealed record NodeCreation(
    [Id(0)] string Content,
    [Id(1)] string Speaker,
    [Id(2)] DateTimeOffset Timestamp,
    [Id(3)] IReadOnlyList<string> Keywords,
    [Id(4)] IReadOnlyList<float> Embedding,
    [Id(5)] IReadOnlyList<string> IndexedKeywords,
    [Id(6)] IReadOnlyList<StructuralEdge> Edges,
    [Id(7)] IReadOnlyDictionary<string, string>? Metadata = null,
    [Id(8)] string? Role = null,
    [Id(9)] string? Conversation = null,
    [Id(10)] DateTimeOffset? CreatedAt = null);

/// <summary>
/// One spreading wave, sent by the user graph to the nodes whose spread score can change the result. Every edge
/// is symmetric, so a node pulls its incoming activation through its own edges: Σ_{i ∈ N(j), S_base(i) &gt; θ} S_base(i)·w_ji.
/// </summary>
/// <param name="WaveId">The retrieval the wave belongs to (pulling is a read, so a repeated wave changes nothing).</param>
/// <param name="BaseScores">S_base of every node of the graph, by node id (never changed after the wave is sent).</param>
/// <param name="Threshold">θ: only neighbours above it are seeds.</param>
/// <param name="Step">The learning step the weights are read at.</param>
[GenerateSerializer, Immutable, Alias("helamem.SpreadWave")]
public sealed record SpreadWave([Id(0)] long WaveId, [Id(1)] ReadOnlyMemory<float> BaseScores, [Id(2)] float Threshold, [Id(3)] long Step);

/// <summary>A node's answer to a spreading wave.</summary>
/// <param name="Pulled">Σ over seed neighbours of S_base·w (multiply by β and add the node's own S_base for S).</param>
/// <param name="LearnedDegree">Σ of the node's learned weights at the wave's step (an upper bound until its next update).</param>
[GenerateSerializer, Immutable, Alias("helamem.PullReply")]
public readonly record struct PullReply([Id(0)] float Pulled, [Id(1)] float LearnedDegree);

/// <summary>One Hebbian update of a co-activated set, sent one-way to every member.</summary>
/// <param name="ReinforcementId">Increases with every update the graph sends; a node applies each id once.</param>
/// <param name="Step">The learning step the update belongs to.</param>
/// <param name="CoActivated">The node ids that fired together.</param>
/// <param name="AccessedAt">When a retrieval returned the set (counts as an access); null for usage feedback.</param>
[GenerateSerializer, Immutable, Alias("helamem.Reinforcement")]
public sealed record Reinforcement([Id(0)] long ReinforcementId, [Id(1)] long Step, [Id(2)] IReadOnlyList<long> CoActivated, [Id(3)] DateTimeOffset? AccessedAt);

/// <summary>An edge as a node reads it.</summary>
/// <param name="Neighbour">The neighbour's node id.</param>
/// <param name="Weight">The whole weight (structural + learned, ≤ 1).</param>
/// <param name="LearnedWeight">The learned (Hebbian) part.</param>
/// <param name="StructuralWeight">The structural part laid down at encoding.</param>
[GenerateSerializer, Immutable, Alias("helamem.EdgeData")]
public readonly record struct EdgeData([Id(0)] long Neighbour, [Id(1)] float Weight, [Id(2)] float LearnedWeight, [Id(3)] float StructuralWeight);

/// <summary>A memory node as stored, with its edges read at a step.</summary>
/// <param name="NodeId">The node id.</param>
/// <param name="Content">The text.</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Keywords">Its keywords.</param>
/// <param name="Embedding">Its unit embedding.</param>
/// <param name="IndexedKeywords">The keywords it is indexed under.</param>
/// <param name="AccessCount">How often a retrieval returned it.</param>
/// <param name="LastAccess">When a retrieval last returned it.</param>
/// <param name="Archived">Whether forgetting archived it.</param>
/// <param name="Edges">Its edges, ascending by neighbour.</param>
/// <param name="Degree">D = Σ w over its edges.</param>
/// <param name="LearnedDegree">Σ of the learned parts.</param>
/// <param name="AppliedReinforcementId">The newest reinforcement applied (duplicates at or below are ignored).</param>
/// <param name="LastStep">The newest learning step whose update the node applied.</param>
/// <param name="Metadata">The metadata given at ingest (null: none, also for nodes stored before metadata existed).</param>
/// <param name="Role">The role given at ingest (null: none, also for nodes stored before nodes kept it).</param>
/// <param name="Conversation">The conversation id given at ingest (null: none, also for nodes stored before nodes kept it).</param>
/// <param name="Version">1 as ingested, one more per update.</param>
[GenerateSerializer, Immutable, Alias("helamem.NodeData")]
public sealed record NodeData(
    [Id(0)] long NodeId,
    [Id(1)] string Content,
    [Id(2)] string Speaker,
    [Id(3)] DateTimeOffset Timestamp,
    [Id(4)] IReadOnlyList<string> Keywords,
    [Id(5)] IReadOnlyList<float> Embedding,
    [Id(6)] IReadOnlyList<string> IndexedKeywords,
    [Id(7)] int AccessCount,
    [Id(8)] DateTimeOffset? LastAccess,
    [Id(9)] bool Archived,
    [Id(10)] IReadOnlyList<EdgeData> Edges,
    [Id(11)] float Degree,
    [Id(12)] float LearnedDegree,
    [Id(13)] long AppliedReinforcementId,
    [Id(14)] long LastStep,
    [Id(15)] IReadOnlyDictionary<string, string>? Metadata = null,
    [Id(16)] string? Role = null,
    [Id(17)] string? Conversation = null,
    [Id(18)] int Version = 1);
