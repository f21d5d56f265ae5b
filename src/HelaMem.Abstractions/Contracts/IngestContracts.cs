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
/// <param name="Role">The role the caller gave (user, assistant, …), stored with the node so filters can ask for it; null: none.</param>
/// <param name="Conversation">The conversation id the caller gave, stored with the node for filters; null: none (the thread is then "default").</param>
[GenerateSerializer, Immutable, Alias("helamem.IngestMessage")]
public sealed record IngestMessage(
    [Id(0)] string Content,
    [Id(1)] string Speaker,
    [Id(2)] DateTimeOffset Timestamp,
    [Id(3)] string Thread = "default",
    [Id(4)] IReadOnlyDictionary<string, string>? Metadata = null,
    [Id(5)] string? Role = null,
    [Id(6)] string? Conversation = null);

/// <summary>How an ingest treats repeated content and retried requests.</summary>
/// <param name="Deduplicate">
/// A message whose content (trimmed, ordinal) equals a memory the user already has, or an earlier message of the same
/// batch, is not stored again: its receipt names the existing memory.
/// </param>
/// <param name="IdempotencyKey">
/// The caller's key for this request (1–255 printable ASCII characters). The graph stores it with the ingest in the same
/// durable write, so a retried request with the same key and hash returns the first receipt (marked replayed) and
/// stores nothing; the same key with another hash is refused with <see cref="IdempotencyConflictException"/>. Keys are
/// kept for <see cref="IdempotencyLimits.Retention"/>, at most <see cref="IdempotencyLimits.MaxKeysPerGraph"/> per graph.
/// </param>
/// <param name="RequestHash">A hash of the request as the caller sent it (required with a key).</param>
[GenerateSerializer, Immutable, Alias("helamem.IngestOptions")]
public sealed record IngestOptions([Id(0)] bool Deduplicate = false, [Id(1)] string? IdempotencyKey = null, [Id(2)] string? RequestHash = null);

/// <summary>How long and how many idempotency keys a graph keeps.</summary>
public static class IdempotencyLimits
{
    /// <summary>A key is remembered this long after its ingest.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>At most this many keys per graph (the oldest is forgotten first).</summary>
    public const int MaxKeysPerGraph = 1000;

    /// <summary>Longest key, in characters.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>Why <paramref name="key"/> is not a valid idempotency key, or null when it is.</summary>
    public static string? Problem(string key)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            return $"is {key.Length} characters long; it must be 1–{MaxKeyLength} printable ASCII characters";
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return $"contains the character U+{(int)c:X4}; it must be 1–{MaxKeyLength} printable ASCII characters (no spaces)";
            }
        }

        return null;
    }
}

/// <summary>What an acknowledged ingest stored: every message is durable when this is returned.</summary>
/// <param name="NodeIds">The node id of each message, in request order.</param>
/// <param name="NodeCount">Nodes in the graph after the ingest (archived ones included).</param>
/// <param name="Duplicates">With de-duplication: the request indexes of messages not stored because the user already had their content (their id is that memory's).</param>
/// <param name="Replayed">True when the idempotency key was seen before: this is the first ingest's receipt and nothing was stored now.</param>
[GenerateSerializer, Immutable, Alias("helamem.IngestReceipt")]
public sealed record IngestReceipt([Id(0)] IReadOnlyList<long> NodeIds, [Id(1)] long NodeCount, [Id(2)] IReadOnlyList<int>? Duplicates = null, [Id(3)] bool Replayed = false);
