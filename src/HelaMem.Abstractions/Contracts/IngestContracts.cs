namespace HelaMem.Abstractions.Contracts;

/// <summary>One message (conversation turn) to remember.</summary>
/// <param name="Content">The text as it should be remembered (for a chat turn typically "Speaker: text").</param>
/// <param name="Speaker">Who said it (a name or a role such as user or assistant).</param>
/// <param name="Timestamp">When it was said.</param>
/// <param name="Thread">The conversation it belongs to: consecutive messages of one thread get a temporal edge.</param>
/// <param name="Metadata">
/// Free string metadata stored with the node in the same durable write as its content (for example LoCoMo's
/// <c>dia_id</c>) and returned with every read and retrieval of it; null or empty: none. Limits in <see cref="IngestLimits"/>.
/// </param>
public sealed record IngestMessage(string Content, string Speaker, DateTimeOffset Timestamp, string Thread = "default", IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>What an acknowledged ingest stored: every message is durable when this is returned.</summary>
/// <param name="NodeIds">The node id of each message, in request order.</param>
/// <param name="NodeCount">Nodes in the graph after the ingest (archived ones included).</param>
public sealed record IngestReceipt(IReadOnlyList<long> NodeIds, long NodeCount);
