using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Placement;
using HelaMem.Silo.Diagnostics;

namespace HelaMem.Silo.Grains;

/// <summary>
/// Runs a user's asynchronous ingests. A job is written before <see cref="Submit"/> returns (the API answers 202 only
/// then), and a reminder keeps waking the grain while any job is pending, so a job survives a crash of its silo. Each
/// chunk is a graph ingest under the idempotency key <c>job-{id}-{chunk}</c>: after a crash between the graph's commit
/// and this grain's record of it, the rerun of that chunk gets the first receipt and stores nothing.
/// </summary>
[GrainType("ingest-jobs")]
[UserGraphPlacement]
public sealed class IngestJobsGrain(
    [PersistentState("ingest-jobs", HelaMemGrains.StorageName)] IPersistentState<IngestJobsState> stored,
    TimeProvider clock,
    ILogger<IngestJobsGrain> logger) : Grain, IIngestJobsGrain, IRemindable
{
    private const string ReminderName = "ingest-jobs";

    /// <summary>Finished jobs are kept this long for their status, then forgotten.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private string? _key;

    // The grain's key, formatted once.
    private string Key => _key ??= this.GetPrimaryKeyString();

    // Bumped by Clear: a run that started before it stops at its next step and writes nothing.
    private int _generation;
    private bool _running;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A job left pending by a silo that died resumes as soon as anything (a status query, a new job, the reminder)
        // activates the grain again.
        if (stored.State.Jobs.Values.Any(j => j.Status is IngestJobStatuses.Queued or IngestJobStatuses.Running))
        {
            StartRun();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<IngestJobView> Submit(IngestJobSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (submission.Messages.Count == 0 || submission.ChunkSize < 1)
        {
            throw new ArgumentException("A job needs messages and a chunk size of at least 1.", nameof(submission));
        }

        var now = clock.GetUtcNow();
        Expire(now);
        if (submission.IdempotencyKey is { } key
            && stored.State.Jobs.Values.FirstOrDefault(j => string.Equals(j.IdempotencyKey, key, StringComparison.Ordinal)) is { } earlier)
        {
            return string.Equals(earlier.RequestHash, submission.RequestHash, StringComparison.Ordinal)
                ? View(earlier) with { Replayed = true }
                : throw new IdempotencyConflictException(
                    $"The idempotency key '{key}' was used at {earlier.CreatedAt:O} for job {earlier.JobId} with a different request; use a new key for a new request. Nothing was stored.");
        }

        var job = new IngestJobRecord
        {
            JobId = submission.JobId,
            Pending = [.. submission.Messages],
            Messages = submission.Messages.Count,
            ChunkSize = submission.ChunkSize,
            Deduplicate = submission.Deduplicate,
            IdempotencyKey = submission.IdempotencyKey,
            RequestHash = submission.RequestHash,
            CreatedAt = now,
        };
        stored.State.Jobs.Add(job.JobId, job);
        await stored.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        SiloLog.IngestJobAccepted(logger, Key, job.JobId, job.Messages);

        StartRun();
        return View(job);
    }

    /// <inheritdoc />
    public Task<IngestJobView?> Status(string jobId) =>
        Task.FromResult(stored.State.Jobs.TryGetValue(jobId, out var job) && !IsExpired(job, clock.GetUtcNow()) ? View(job) : null);

    /// <inheritdoc />
    public async Task Clear()
    {
        _generation++;
        stored.State = new IngestJobsState();
        if (stored.RecordExists)
        {
            await stored.ClearStateAsync();
        }

        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => RunPendingAsync();

    // Runs pending jobs in the order they were accepted, one chunk at a time, recording each chunk durably. A transient
    // failure (a silo or the store unavailable) leaves the job pending for the next reminder tick.
    private async Task RunPendingAsync()
    {
        if (_running)
        {
            return;
        }

        _running = true;
        var generation = _generation;
        try
        {
            var graph = GrainFactory.GetGrain<IUserGraphGrain>(Key);
            while (generation == _generation
                && stored.State.Jobs.Values.Where(j => j.Status is IngestJobStatuses.Queued or IngestJobStatuses.Running).MinBy(j => j.CreatedAt) is { } job)
            {
                var chunk = job.Pending.Take(job.ChunkSize).ToList();
                var key = $"job-{job.JobId}-{job.ChunksDone}";
                IngestReceipt receipt;
                try
                {
                    receipt = await graph.Ingest(chunk, new IngestOptions(job.Deduplicate, key, key));
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or IdempotencyConflictException or EmbedderMismatchException)
                {
                    if (generation != _generation)
                    {
                        return;
                    }

                    Finish(job, IngestJobStatuses.Failed, exception.Message);
                    await stored.WriteStateAsync();
                    SiloLog.IngestJobFailed(logger, Key, job.JobId, exception.Message);
                    continue;
                }

                if (generation != _generation)
                {
                    return;
                }

                var offset = job.NodeIds.Count;
                job.NodeIds.AddRange(receipt.NodeIds);
                job.Duplicates.AddRange((receipt.Duplicates ?? []).Select(i => i + offset));
                job.NodeCount = receipt.NodeCount;
                job.Pending.RemoveRange(0, chunk.Count);
                job.ChunksDone++;
                job.Status = IngestJobStatuses.Running;
                if (job.Pending.Count == 0)
                {
                    Finish(job, IngestJobStatuses.Succeeded, null);
                    SiloLog.IngestJobSucceeded(logger, Key, job.JobId, job.Messages);
                }

                await stored.WriteStateAsync();
            }

            if (generation == _generation && await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception exception)
        {
            SiloLog.IngestJobsPaused(logger, Key, exception);
        }
        finally
        {
            _running = false;
        }
    }

    // From an interleaving one-shot timer: the caller returns now, and status queries are answered while the run awaits.
    private void StartRun() =>
        this.RegisterGrainTimer(_ => RunPendingAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });

    private void Finish(IngestJobRecord job, string status, string? error)
    {
        job.Status = status;
        job.Error = error;
        job.CompletedAt = clock.GetUtcNow();
        job.Pending = [];
    }

    private void Expire(DateTimeOffset now)
    {
        foreach (var id in stored.State.Jobs.Values.Where(j => IsExpired(j, now)).Select(j => j.JobId).ToList())
        {
            stored.State.Jobs.Remove(id);
        }
    }

    private static bool IsExpired(IngestJobRecord job, DateTimeOffset now) => job.CompletedAt is { } done && now - done > Retention;

    private static IngestJobView View(IngestJobRecord job) =>
        new(job.JobId, job.Status, job.Messages, job.NodeIds.Count, job.CreatedAt, job.CompletedAt, [.. job.NodeIds], [.. job.Duplicates], job.NodeCount, job.Error);
}
