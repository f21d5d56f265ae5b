namespace HelaMem.Grains.State;

/// <summary>
/// The persistent state of a user-graph grain. The base index itself is not stored here: every node grain keeps its
/// embedding, time and keywords, and the graph rebuilds its index from them on activation, so an ingest writes each
/// node once instead of rewriting a growing index.
/// </summary>
public sealed class GraphState
{
    /// <summary>Nodes ever added; node ids are 0 … NodeCount − 1.</summary>
    public long NodeCount { get; set; }

    /// <summary>The last node of each thread (for the next temporal edge).</summary>
    public Dictionary<string, long> LastOfThread { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last node that mentioned each entity (entity edges).</summary>
    public Dictionary<string, long> LastMentionOfEntity { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Speaker name tokens (never entities).</summary>
    public List<string> SpeakerNames { get; set; } = [];

    /// <summary>Completed learning steps.</summary>
    public long Step { get; set; }

    /// <summary>The last reinforcement id handed out.</summary>
    public long LastReinforcementId { get; set; }

    /// <summary>The newest retrieval whose usage was reported (older reports are duplicates).</summary>
    public long LastUsageRetrievalId { get; set; }

    /// <summary>Retrievals served.</summary>
    public long Retrievals { get; set; }

    /// <summary>
    /// Retrievals not yet counted by the tenant grain: the graph reports them one-way with its flush, but a silo that is
    /// shutting down may already have deactivated the tenant, so a graph deactivated then keeps them here and reports
    /// them when it next activates.
    /// </summary>
    public long UnreportedRetrievals { get; set; }

    /// <summary>
    /// The retrieval profile the graph was created with (stored at its first ingest: its ingest-time options shaped the
    /// stored index, so it keeps it when the tenant's profile changes). Null in state written before profiles: such a
    /// graph with nodes ran the paper's algorithm and stays "paper".
    /// </summary>
    public string? Profile { get; set; }

    /// <summary>
    /// The embedder the graph's vectors were made with (its name, e.g. <c>glove-sif-100d</c>), recorded at its first
    /// ingest and by a finished re-embedding. Null in an empty graph, and in state written before graphs recorded it:
    /// see <c>GraphEmbedder.Recorded</c> for how such a graph is read.
    /// </summary>
    public string? Embedder { get; set; }

    /// <summary>The recorded embedder's vector length (0 when <see cref="Embedder"/> is null).</summary>
    public int EmbedderDimensions { get; set; }

    /// <summary>
    /// While a re-embedding is under way: the embedder it moves to and how many node ids (from 0) it has re-embedded.
    /// Null otherwise. Kept so that an interrupted run resumes instead of starting over.
    /// </summary>
    public ReembeddingRecord? Reembedding { get; set; }

    /// <summary>How many nodes the common component was last computed over (−1: never).</summary>
    public int CommonComponentNodes { get; set; } = -1;

    /// <summary>
    /// The receipts of recent ingests by idempotency key (null: none yet). Written in the same state write that commits
    /// the ingest, so a key is recorded exactly when its memories are.
    /// </summary>
    public Dictionary<string, IdempotencyRecord>? Idempotency { get; set; }
}

/// <summary>A re-embedding under way (<see cref="GraphState.Reembedding"/>).</summary>
public sealed class ReembeddingRecord
{
    /// <summary>The embedder the node vectors written so far were made with.</summary>
    public string To { get; set; } = "";

    /// <summary>Node ids below this one have been re-embedded with <see cref="To"/>.</summary>
    public long Next { get; set; }
}

/// <summary>What an ingest with an idempotency key stored, to answer a retry with the same receipt.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>The hash of the request as the caller sent it.</summary>
    public string RequestHash { get; set; } = "";

    /// <summary>The node id of each message, in request order.</summary>
    public List<long> NodeIds { get; set; } = [];

    /// <summary>Nodes in the graph after the ingest.</summary>
    public long NodeCount { get; set; }

    /// <summary>The request indexes de-duplication did not store (null: none).</summary>
    public List<int>? Duplicates { get; set; }

    /// <summary>When the ingest was committed.</summary>
    public DateTimeOffset At { get; set; }
}
