using Orleans;

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
[GenerateSerializer, Immutable, Alias("helamem.IngestMessage")]
public sealed record IngestMessage([Id(0)] string Content, [Id(1)] string Speaker, [Id(2)] DateTimeOffset Timestamp, [Id(3)] string Thread = "default", [Id(4)] IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>What an acknowledged ingest stored: every message is durable when this is returned.</summary>
/// <param name="NodeIds">The node id of each message, in request order.</param>
/// <param name="NodeCount">Nodes in the graph after the ingest (archived ones included).</param>
[GenerateSerializer, Immutable, Alias("helamem.IngestReceipt")]
public sealed record IngestReceipt([Id(0)] IReadOnlyList<long> NodeIds, [Id(1)] long NodeCount);
