namespace HelaMem.Grains.Graph;

/// <summary>
/// What the user graph keeps per node beside the index, to answer a retrieval without asking the node grains for
/// their text (in process the strings are the node grains' own instances, not copies).
/// </summary>
internal sealed record NodeSummary(string Content, string Speaker, DateTimeOffset Timestamp, string[] Keywords, IReadOnlyDictionary<string, string>? Metadata);
