using HelaMem.Abstractions.Contracts;

namespace HelaMem.Silo.Grains;

/// <summary>The persistent state of a user's asynchronous ingests.</summary>
public sealed class IngestJobsState
{
    /// <summary>The jobs by id; pending ones run in the order they were accepted.</summary>
    public Dictionary<string, IngestJobRecord> Jobs { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One job as stored.</summary>
public sealed class IngestJobRecord
{
    /// <summary>Its id.</summary>
    public string JobId { get; set; } = "";

    /// <summary>queued, running, succeeded or failed.</summary>
    public string Status { get; set; } = IngestJobStatuses.Queued;

    /// <summary>The messages not yet stored (emptied when the job ends, so finished jobs keep no content).</summary>
    public List<IngestMessage> Pending { get; set; } = [];

    /// <summary>Messages in the job.</summary>
    public int Messages { get; set; }

    /// <summary>Messages per graph ingest.</summary>
    public int ChunkSize { get; set; }

    /// <summary>Chunks stored so far (chunk i is the graph ingest with idempotency key job-{id}-{i}).</summary>
    public int ChunksDone { get; set; }

    /// <summary>De-duplicate.</summary>
    public bool Deduplicate { get; set; }

    /// <summary>The caller's idempotency key, or null.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>The hash of the request, with a key.</summary>
    public string? RequestHash { get; set; }

    /// <summary>Memory id of each message done.</summary>
    public List<long> NodeIds { get; set; } = [];

    /// <summary>Request indexes not stored by de-duplication.</summary>
    public List<int> Duplicates { get; set; } = [];

    /// <summary>Memory ids assigned to the user after the last chunk.</summary>
    public long NodeCount { get; set; }

    /// <summary>When it was accepted.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }
}

/// <summary>The job statuses as the API spells them.</summary>
public static class IngestJobStatuses
{
    /// <summary>Accepted, not started.</summary>
    public const string Queued = "queued";

    /// <summary>At least one chunk stored, more to go.</summary>
    public const string Running = "running";

    /// <summary>Every message stored.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Refused part-way (the chunks before stay stored); see the error.</summary>
    public const string Failed = "failed";
}
