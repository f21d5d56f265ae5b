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

    /// <summary>How many nodes the common component was last computed over (−1: never).</summary>
    public int CommonComponentNodes { get; set; } = -1;
}
