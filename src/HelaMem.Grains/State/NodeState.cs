using System.Text.Json.Serialization;

namespace HelaMem.Grains.State;

/// <summary>One stored edge: the structural part, the learned part as last written and the step it was written at.</summary>
public sealed class EdgeRecord
{
    /// <summary>The neighbour's node id.</summary>
    public int Neighbour { get; set; }

    /// <summary>The structural (fixed) weight.</summary>
    public float Structural { get; set; }

    /// <summary>The learned weight as stored at <see cref="LearnedStep"/> (decayed lazily on read).</summary>
    public float Learned { get; set; }

    /// <summary>The step of the last learned update.</summary>
    public long LearnedStep { get; set; }
}

/// <summary>The persistent state of a memory-node grain.</summary>
public sealed class NodeState
{
    /// <summary>Whether the node was created (a grain whose state is empty is not a memory).</summary>
    public bool Exists { get; set; }

    /// <summary>The text.</summary>
    public string Content { get; set; } = "";

    /// <summary>Who said it.</summary>
    public string Speaker { get; set; } = "";

    /// <summary>When.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>Its own keywords.</summary>
    public List<string> Keywords { get; set; } = [];

    /// <summary>The keywords it is indexed under.</summary>
    public List<string> IndexedKeywords { get; set; } = [];

    /// <summary>Its embedding as the embedder wrote it (stored as base64 of its float bits; arrays of numbers still load).</summary>
    [JsonConverter(typeof(EmbeddingJsonConverter))]
    public float[] Embedding { get; set; } = [];

    /// <summary>How often a retrieval returned it.</summary>
    public int AccessCount { get; set; }

    /// <summary>When a retrieval last returned it.</summary>
    public DateTimeOffset? LastAccess { get; set; }

    /// <summary>Whether forgetting archived it.</summary>
    public bool Archived { get; set; }

    /// <summary>Whether consolidation distilled it as a hub.</summary>
    public bool Distilled { get; set; }

    /// <summary>The newest reinforcement id applied; updates at or below it are duplicates.</summary>
    public long AppliedReinforcementId { get; set; }

    /// <summary>The newest learning step applied.</summary>
    public long LastStep { get; set; }

    /// <summary>The edges, ascending by neighbour.</summary>
    public List<EdgeRecord> Edges { get; set; } = [];

    /// <summary>The metadata given at ingest (or by the last update); null when there is none (and in states written before metadata existed).</summary>
    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>The role given at ingest; null when none was given (and in states written before nodes kept it).</summary>
    public string? Role { get; set; }

    /// <summary>The conversation id given at ingest; null when none was given (and in states written before nodes kept it).</summary>
    public string? Conversation { get; set; }

    /// <summary>When the ingest stored the node (null in states written before it was recorded).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The current version: 1 as ingested, one more per update (0 in states written before versions: read as 1).</summary>
    public int Version { get; set; }

    /// <summary>When the current version was written by an update (null for the ingested version).</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>The versions the current one replaced, oldest first (null: none).</summary>
    public List<NodeVersionRecord>? History { get; set; }
}

/// <summary>A version of a node that an update replaced.</summary>
public sealed class NodeVersionRecord
{
    /// <summary>Its version number.</summary>
    public int Version { get; set; }

    /// <summary>Its text.</summary>
    public string Content { get; set; } = "";

    /// <summary>Its metadata (null: none).</summary>
    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>When it was stored (the ingest for version 1, else the update that wrote it); null when not recorded.</summary>
    public DateTimeOffset? At { get; set; }
}
