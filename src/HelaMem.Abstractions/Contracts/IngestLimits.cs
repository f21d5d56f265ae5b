namespace HelaMem.Abstractions.Contracts;

/// <summary>
/// Fixed limits of an ingest that are not tenant quotas. Metadata is kept in every node's state and in the user
/// graph's memory for the node's lifetime, so it is bounded per message.
/// </summary>
public static class IngestLimits
{
    /// <summary>Most metadata entries per message.</summary>
    public const int MaxMetadataEntries = 32;

    /// <summary>Longest metadata key, in characters (keys must not be empty or blank).</summary>
    public const int MaxMetadataKeyLength = 256;

    /// <summary>Longest metadata value, in characters (values must not be null; empty is allowed).</summary>
    public const int MaxMetadataValueLength = 256;
}
