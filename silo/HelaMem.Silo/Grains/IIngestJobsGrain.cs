using HelaMem.Abstractions.Contracts;
using Orleans.Concurrency;

namespace HelaMem.Silo.Grains;

/// <summary>
/// A user's asynchronous ingests (key <c>tenant/user</c>, placed with the user's graph): each job is stored durably
/// before it is acknowledged (202), then run in order, chunk by chunk, each chunk an idempotent ingest of the graph, so a
/// job resumed after a crash (by the grain's reminder) never stores a message twice. Cleared with the user.
/// </summary>
[Alias("helamem.silo.IIngestJobsGrain")]
public interface IIngestJobsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores a job durably and starts it. With an idempotency key already used for a job with the same request hash,
    /// returns that job instead (nothing new is stored); with another hash, throws <see cref="IdempotencyConflictException"/>.
    /// </summary>
    Task<IngestJobView> Submit(IngestJobSubmission submission);

    /// <summary>One job, or null when the user has no such job (or it expired).</summary>
    [AlwaysInterleave]
    Task<IngestJobView?> Status(string jobId);

    /// <summary>Cancels every pending job and forgets every job (part of a user delete); a chunk already running completes first.</summary>
    Task Clear();
}

/// <summary>A job to store.</summary>
/// <param name="JobId">Its id (32 hex digits).</param>
/// <param name="Messages">The messages, checked and stamped by the API.</param>
/// <param name="Deduplicate">Ingest with de-duplication.</param>
/// <param name="ChunkSize">Messages per graph ingest (the tenant's maxMessagesPerIngest).</param>
/// <param name="IdempotencyKey">The caller's key, or null.</param>
/// <param name="RequestHash">The hash of the request as sent (with a key).</param>
[GenerateSerializer, Immutable, Alias("helamem.silo.IngestJobSubmission")]
public sealed record IngestJobSubmission(
    [Id(0)] string JobId,
    [Id(1)] IReadOnlyList<IngestMessage> Messages,
    [Id(2)] bool Deduplicate,
    [Id(3)] int ChunkSize,
    [Id(4)] string? IdempotencyKey,
    [Id(5)] string? RequestHash);

/// <summary>What a job is doing or did.</summary>
/// <param name="JobId">Its id.</param>
/// <param name="Status">"queued", "running", "succeeded" or "failed".</param>
/// <param name="Messages">Messages in the job.</param>
/// <param name="MessagesDone">Messages stored (or recognised as duplicates) so far.</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="CompletedAt">When it succeeded or failed.</param>
/// <param name="NodeIds">The memory id of each message done, in request order.</param>
/// <param name="Duplicates">Request indexes de-duplication did not store.</param>
/// <param name="NodeCount">Memory ids assigned to the user after the last chunk.</param>
/// <param name="Error">Why it failed (in the API's words).</param>
/// <param name="Replayed">True when a submission with the same idempotency key returned this existing job.</param>
[GenerateSerializer, Immutable, Alias("helamem.silo.IngestJobView")]
public sealed record IngestJobView(
    [Id(0)] string JobId,
    [Id(1)] string Status,
    [Id(2)] int Messages,
    [Id(3)] int MessagesDone,
    [Id(4)] DateTimeOffset CreatedAt,
    [Id(5)] DateTimeOffset? CompletedAt,
    [Id(6)] IReadOnlyList<long> NodeIds,
    [Id(7)] IReadOnlyList<int> Duplicates,
    [Id(8)] long NodeCount,
    [Id(9)] string? Error,
    [Id(10)] bool Replayed = false);
