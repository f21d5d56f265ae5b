using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.State;

/// <summary>One stored semantic item with the embedding it was merged with.</summary>
public sealed class SemanticRecord
{
    /// <summary>The kind.</summary>
    public SemanticItemKind Kind { get; set; }

    /// <summary>The text.</summary>
    public string Text { get; set; } = "";

    /// <summary>The source node ids.</summary>
    public List<long> Sources { get; set; } = [];

    /// <summary>Whom it is about (null: not known).</summary>
    public string? Subject { get; set; }

    /// <summary>The slot it fills (null: none).</summary>
    public string? Slot { get; set; }

    /// <summary>The embedding.</summary>
    public float[] Embedding { get; set; } = [];
}

/// <summary>The persistent state of a semantic-memory grain.</summary>
public sealed class SemanticState
{
    /// <summary>The items, in insertion order.</summary>
    public List<SemanticRecord> Items { get; set; } = [];
}
