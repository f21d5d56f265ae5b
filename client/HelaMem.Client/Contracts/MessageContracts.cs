namespace HelaMem.Client.Contracts;

/// <summary>One message to remember.</summary>
/// <param name="Content">The text (required, not blank).</param>
/// <param name="Speaker">Who said it (a name); defaults to the role, then to "user".</param>
/// <param name="Role">The speaker's role (user, assistant, ...), kept as metadata.</param>
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
public sealed record IngestRequest(IReadOnlyList<MessageInput>? Messages);

/// <summary>What an ingest stored (durable when returned).</summary>
/// <param name="User">The memory owner's id (a user's, an agent's or a run's; the field keeps its name from when owners were users).</param>
/// <param name="NodeIds">The memory id of each message, in request order.</param>
/// <param name="NodeCount">Memories of the owner after the ingest.</param>
/// <param name="Scope">What the owner is: "user", "agent" or "run".</param>
public sealed record IngestResult(string User, IReadOnlyList<long> NodeIds, long NodeCount, string Scope = "user");
