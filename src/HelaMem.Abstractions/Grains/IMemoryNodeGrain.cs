using HelaMem.Abstractions.Contracts;
using Orleans;
using Orleans.Concurrency;

namespace HelaMem.Abstractions.Grains;

/// <summary>
/// One memory (key <c>tenant/user/node</c>): content, metadata, keywords, embedding, edges with lazy decay, access
/// statistics. Placed with its user graph.
/// </summary>
[Alias("helamem.IMemoryNodeGrain")]
public interface IMemoryNodeGrain : IGrainWithStringKey
{
    /// <summary>Stores the node (durably) with its structural edges to earlier nodes.</summary>
    Task Create(NodeCreation creation);

    /// <summary>Adds structural edges (to later nodes: the other direction of their temporal or entity edges), durably.</summary>
    Task AddEdges(IReadOnlyList<StructuralEdge> edges);

    /// <summary>
    /// Spreading into this node: the activation it pulls from its seed neighbours in <paramref name="wave"/>, and its
    /// degree. Null when the node has not yet applied reinforcement <paramref name="requiredReinforcementId"/> (a
    /// one-way update still on its way): the caller asks again.
    /// </summary>
    Task<PullReply?> Pull(SpreadWave wave, long requiredReinforcementId);

    /// <summary>
    /// Whether this node has reported itself as a hub, once it has applied reinforcement
    /// <paramref name="requiredReinforcementId"/>; null until then (the caller asks again). The graph asks the nodes it
    /// reinforced before it hands consolidation a snapshot, so no hub report is still in flight when consolidation runs.
    /// </summary>
    Task<bool?> SettledHubReport(long requiredReinforcementId);

    /// <summary>
    /// Applies one Hebbian update of a co-activated set (idempotent per reinforcement id). Sent by the node's user graph
    /// only: the graph replays every update on its bounds of the learned weights, which decide the nodes a spreading
    /// wave asks, so an update from elsewhere would make retrieval differ from the core.
    /// </summary>
    [OneWay]
    Task Reinforce(Reinforcement reinforcement);

    /// <summary>The node with its edges read at <paramref name="atStep"/>, or null when it does not exist.</summary>
    [ReadOnly]
    Task<NodeData?> Read(long atStep);

    /// <summary>Marks the node archived (forgotten); returns false if it already was or does not exist.</summary>
    Task<bool> Archive();

    /// <summary>Writes pending Hebbian updates now (they are otherwise flushed within the configured interval).</summary>
    Task Flush();

    /// <summary>
    /// Replaces the node's content, keywords, embedding and metadata (edges and access statistics stay) and keeps the
    /// version it replaces in its history, in one durable write. Sent by its user graph only, which re-indexes it.
    /// </summary>
    /// <returns>The node's version after the revision.</returns>
    /// <exception cref="InvalidOperationException">The node does not exist.</exception>
    Task<int> Revise(NodeRevision revision);

    /// <summary>Every version of the node, oldest first (the current one last); empty when it does not exist.</summary>
    [ReadOnly]
    Task<IReadOnlyList<MemoryVersion>> History();

    /// <summary>
    /// Replaces only the node's embedding (its user graph moves to another embedder; content, version and edges stay), in
    /// one durable write. Returns false, writing nothing, when the node does not exist (deleted).
    /// </summary>
    Task<bool> Reembed(IReadOnlyList<float> embedding);

    /// <summary>Hard-deletes the node's state; returns whether a node existed.</summary>
    Task<bool> Delete();

    /// <summary>The consolidation grain has distilled this hub (it stops reporting itself as one).</summary>
    Task MarkDistilled();
}
