namespace HelaMem.Core.Memory;

/// <summary>
/// One episodic memory: a conversation turn or an ingested message, with what the memory-node grain keeps
/// beside its edges. Content, speaker, time and keywords are fixed at encoding; access statistics change on reads.
/// </summary>
public sealed class MemoryNode
{
    /// <summary>Creates a node.</summary>
    public MemoryNode(int index, string content, string speaker, DateTimeOffset timestamp, IReadOnlyList<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(speaker);
        ArgumentNullException.ThrowIfNull(keywords);
        Index = index;
        Content = content;
        Speaker = speaker;
        Timestamp = timestamp;
        Keywords = keywords;
    }

    /// <summary>The node's index in its graph.</summary>
    public int Index { get; }

    /// <summary>The text as stored (for LoCoMo: "Speaker: text [shares caption]").</summary>
    public string Content { get; }

    /// <summary>Who said it (speaker or role).</summary>
    public string Speaker { get; }

    /// <summary>When it was said.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Its keywords.</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>How often it was returned by a retrieval.</summary>
    public int AccessCount { get; private set; }

    /// <summary>When it was last returned, or null if never.</summary>
    public DateTimeOffset? LastAccess { get; private set; }

    /// <summary>Records that a retrieval returned this node.</summary>
    public void RecordAccess(DateTimeOffset when)
    {
        AccessCount++;
        LastAccess = when;
    }
}
