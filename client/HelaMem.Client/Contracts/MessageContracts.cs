namespace HelaMem.Client.Contracts;

/// <summary>One message to remember.</summary>
/// <param name="Content">The text (required, not blank).</param>
/// <param name="Speaker">Who said it (a name); defaults to the role, then to "user".</param>
/// <param name="Role">The speaker's role (user, assistant, ...), kept with the memory (filters can ask for it).</param>
/// <param name="Timestamp">When it was said; defaults to the time the server received it.</param>
/// <param name="ConversationId">The conversation it belongs to: consecutive messages of one conversation are linked.</param>
/// <param name="Metadata">Free string metadata returned with the memory (for example LoCoMo's <c>dia_id</c>).</param>
public sealed record MessageInput(
    string? Content,
    string? Speaker = null,
    string? Role = null,
    DateTimeOffset? Timestamp = null,
    string? ConversationId = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>A batch of messages for one user, stored in order.</summary>
/// <param name="Messages">The messages.</param>
/// <param name="Deduplicate">
/// Don't store a message whose content (trimmed, exact) the user already has, or that an earlier message of this batch
/// has: its id in the result is the existing memory's, and its index is listed in <see cref="IngestResult.Duplicates"/>.
/// Default false.
/// </param>
public sealed record IngestRequest(IReadOnlyList<MessageInput>? Messages, bool? Deduplicate = null);

/// <summary>What an ingest stored (durable when returned).</summary>
/// <param name="User">The memory owner's id (a user's, an agent's or a run's; the field keeps its name from when owners were users).</param>
/// <param name="NodeIds">The memory id of each message, in request order.</param>
/// <param name="NodeCount">Memory ids assigned to the owner after the ingest.</param>
/// <param name="Duplicates">With de-duplication: the indexes of messages that were not stored because the user already had their content.</param>
/// <param name="Replayed">
/// True when this answers a retry: the request's Idempotency-Key was seen before with the same request, and this is the
/// first ingest's result (nothing was stored again).
/// </param>
/// <param name="Scope">What the owner is: "user", "agent" or "run".</param>
public sealed record IngestResult(string User, IReadOnlyList<long> NodeIds, long NodeCount, IReadOnlyList<int>? Duplicates = null, bool Replayed = false, string Scope = "user");

/// <summary>An asynchronous ingest: accepted (stored durably) with 202, then stored in the background.</summary>
/// <param name="User">The memory owner's id (a user's, an agent's or a run's).</param>
/// <param name="JobId">The job's id: its status is at <c>GET /v1/users/{user}/jobs/{jobId}</c>.</param>
/// <param name="Status">"queued", "running", "succeeded" or "failed".</param>
/// <param name="Messages">Messages in the job.</param>
/// <param name="MessagesDone">Messages stored (or recognised as duplicates) so far.</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="CompletedAt">When it succeeded or failed.</param>
/// <param name="NodeIds">The memory id of each message done, in request order.</param>
/// <param name="Duplicates">With de-duplication: the request indexes not stored because the user already had their content.</param>
/// <param name="NodeCount">Memory ids assigned to the user after the job's last chunk.</param>
/// <param name="Error">Why it failed (the messages before the failing chunk stay stored).</param>
/// <param name="Replayed">True when a retried submission with the same Idempotency-Key returned this existing job.</param>
/// <param name="Scope">What the owner is: "user", "agent" or "run".</param>
public sealed record IngestJob(
    string User,
    string JobId,
    string Status,
    int Messages,
    int MessagesDone,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<long> NodeIds,
    IReadOnlyList<int> Duplicates,
    long NodeCount,
    string? Error,
    bool Replayed = false,
    string Scope = "user");
