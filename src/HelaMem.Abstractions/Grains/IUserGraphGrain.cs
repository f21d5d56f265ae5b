using HelaMem.Abstractions.Contracts;
using Orleans;
using Orleans.Concurrency;

namespace HelaMem.Abstractions.Grains;

/// <summary>
/// One memory owner's graph (key <c>tenant/user</c>, or <c>tenant/agent~id</c>, <c>tenant/run~id</c> for an agent's or a
/// run's: <see cref="Keys.GraphKey"/>). Owns the base index (node ids, embedding rows, timestamps,
/// keyword postings) and the learning step; its node grains own content and edges.
/// </summary>
[Alias("helamem.IUserGraphGrain")]
public interface IUserGraphGrain : IGrainWithStringKey
{
    /// <summary>Encodes a batch of messages as nodes (in order); durable when the receipt is returned.</summary>
    /// <param name="messages">The messages, in the order they were said.</param>
    /// <param name="ingestOptions">De-duplication and the idempotency key (null: neither).</param>
    /// <exception cref="ArgumentException">A message is empty, too long, or the batch is empty or too large; nothing was stored.</exception>
    /// <exception cref="IdempotencyConflictException">The idempotency key was used with another request; nothing was stored.</exception>
    Task<IngestReceipt> Ingest(IReadOnlyList<IngestMessage> messages, IngestOptions? ingestOptions = null);

    /// <summary>One page of the user's memories (deleted ones left out) matching a filter, in id order.</summary>
    /// <exception cref="ArgumentException">The offset is negative, the limit below 1 or the filter invalid.</exception>
    [ReadOnly]
    Task<MemoryIdPage> ListMemories(MemoryListQuery query);

    /// <summary>
    /// Changes one memory's content (re-embedded and re-keyworded in the index; its edges are kept) and/or metadata; the
    /// version it replaces goes into the memory's history. Durable when it returns.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The memory does not exist or was deleted.</exception>
    /// <exception cref="ArgumentException">The change is empty or invalid; nothing changed.</exception>
    Task<MemoryRevisionResult> Update(long nodeId, MemoryUpdate update);

    /// <summary>Hard-deletes one memory: out of retrieval at once, its state gone. False when it did not exist (or was deleted).</summary>
    Task<bool> DeleteMemory(long nodeId);

    /// <summary>Retrieves episodic and semantic memory for a query and learns from the co-retrieved set.</summary>
    /// <exception cref="ArgumentException">The query is empty or too long, or MaxItems is below 1; nothing was learned.</exception>
    Task<RetrievalResponse> Retrieve(RetrieveRequest request);

    /// <summary>
    /// Reinforce on use: the agent reports which items of retrieval <paramref name="retrievalId"/> it actually used;
    /// they reinforce each other. A repeated report for the same (or an older) retrieval is ignored.
    /// </summary>
    Task ReportUsage(long retrievalId, IReadOnlyList<long> usedNodes);

    /// <summary>
    /// Re-embeds up to <paramref name="maxMemories"/> more of the graph's memories with the silo's embedder; the step
    /// that re-embeds the last one also re-embeds the semantic items and records the silo's embedder (the common
    /// direction is recomputed from the new vectors). Until then ingest and search stay refused. Idempotent: a graph
    /// already on the silo's embedder (or empty) changes nothing. Progress is durable, so an interrupted run resumes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="maxMemories"/> is below 1.</exception>
    Task<ReembedProgress> Reembed(int maxMemories);

    /// <summary>Hard-deletes the user everywhere (nodes, semantic memory, consolidation, the graph itself).</summary>
    Task<DeleteReceipt> Delete();

    /// <summary>The graph's size and learning state.</summary>
    [ReadOnly]
    Task<GraphStats> Stats();

    /// <summary>The step, active nodes and common direction (for consolidation).</summary>
    /// <remarks>
    /// Always interleaved: consolidation asks for it while the graph may be waiting for consolidation (an ingest that
    /// makes sure the reminder exists, a delete that clears it); it reads in-memory state without awaiting anything.
    /// </remarks>
    [AlwaysInterleave]
    Task<GraphSnapshot> Snapshot();

    /// <summary>
    /// The semantic memory now holds <paramref name="items"/> items: what consolidation of the previous version sends after a
    /// merge (this version merges through <see cref="MergeSemantic"/>); kept so a rolling upgrade mixes both.
    /// </summary>
    /// <remarks>
    /// Awaited by consolidation, so a search that follows a finished consolidation run sees the new items (as one-way
    /// message it could arrive after that search). Always interleaved: it only sets a flag, and the graph may be
    /// waiting on consolidation.
    /// </remarks>
    [AlwaysInterleave]
    Task SemanticMemoryChanged(int items);

    /// <summary>
    /// Merges distilled items into the user's semantic memory through the graph, which knows what was deleted: sources
    /// that are deleted, or being deleted, are dropped first, and an item left without a source is not merged, so a
    /// consolidation that read a memory just before its hard delete cannot re-add an item derived only from it. A
    /// delete that starts while a merge is on its way waits for it, then removes what it derived. Returns how many items
    /// were added or replaced.
    /// </summary>
    /// <remarks>
    /// Always interleaved, like <see cref="SemanticMemoryChanged"/>: consolidation calls it while the graph may be
    /// waiting on consolidation. It reads in-memory state before its one await, and deletes coordinate with it.
    /// </remarks>
    /// <exception cref="ArgumentException">An entry has no text or no embedding.</exception>
    [AlwaysInterleave]
    Task<int> MergeSemantic(IReadOnlyList<SemanticEntry> entries);

    /// <summary>Takes nodes out of retrieval (forgetting); their data stays until a delete. Returns how many changed.</summary>
    /// <remarks>Always interleaved, as <see cref="Snapshot"/>: sent by consolidation, changes in-memory flags only, awaits nothing.</remarks>
    [AlwaysInterleave]
    Task<int> Archive(IReadOnlyList<long> nodes);
}
