using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Diagnostics.Activity;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Hosting;

namespace HelaMem.Silo.Api;

/// <summary>
/// The tenant routes' logic over the memory grains. Every key is built from the authenticated tenant and a
/// validated memory owner (a user, an agent or a run; each its own graph); input is checked completely before the
/// first grain call that changes anything.
/// </summary>
internal sealed partial class MemoryService(IGrainFactory grains, TimeProvider clock, ActivityRecorder activity)
{
    private IGrainFactory Grains => grains;

    /// <summary>Stores a batch of messages; with an idempotency key a retried request returns the first result and stores nothing.</summary>
    public async Task<IngestResult> IngestAsync(string tenant, MemoryOwner owner, IngestRequest? request, string? idempotencyKey = null)
    {
        var ingest = await PrepareIngestAsync(tenant, owner, request, idempotencyKey, asynchronous: false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        IngestReceipt receipt;
        try
        {
            receipt = await Grains.GetGrain<IUserGraphGrain>(ingest.Key.ToString()).Ingest(ingest.Messages, ingest.Options);
        }
        catch (InvalidOperationException) when (ingest.Settings.MaxUsers is { } userLimit)
        {
            // The tenant grain refused a new user (a concurrent ingest took the last place).
            throw UsersQuota(userLimit, owner);
        }
        catch (IdempotencyConflictException conflict)
        {
            throw KeyReused(conflict);
        }

        SiloMetrics.IngestDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        activity.Ingested(tenant);
        if (!receipt.Replayed)
        {
            SiloMetrics.IngestedMessages.Add(ingest.Messages.Length);
        }

        return new IngestResult(owner.Id, receipt.NodeIds, receipt.NodeCount, receipt.Duplicates, receipt.Replayed, owner.ScopeText);
    }

    /// <summary>
    /// Accepts a batch to be stored in the background (up to <see cref="ApiDefaults.MaxAsyncIngestMessages"/> messages,
    /// stored in chunks of the tenant's maxMessagesPerIngest): checked completely, then written durably as a job before
    /// this returns. With an idempotency key a retried request returns the first job.
    /// </summary>
    public async Task<IngestJob> SubmitIngestAsync(string tenant, MemoryOwner owner, IngestRequest? request, string? idempotencyKey = null)
    {
        var ingest = await PrepareIngestAsync(tenant, owner, request, idempotencyKey, asynchronous: true);
        try
        {
            var job = await Grains.GetGrain<IIngestJobsGrain>(ingest.Key.ToString()).Submit(new IngestJobSubmission(
                Guid.NewGuid().ToString("N"), ingest.Messages, ingest.Options.Deduplicate, ingest.Settings.MaxMessagesPerIngest,
                idempotencyKey, ingest.Options.RequestHash));
            activity.Ingested(tenant);
            return ToJob(owner, job);
        }
        catch (IdempotencyConflictException conflict)
        {
            throw KeyReused(conflict);
        }
    }

    /// <summary>An asynchronous ingest's status; 404 when the user has no such job (or it ended more than 24 hours ago).</summary>
    public async Task<IngestJob> JobAsync(string tenant, MemoryOwner owner, string jobId)
    {
        var key = Key(tenant, owner);
        if (jobId.Length != 32 || !jobId.All(char.IsAsciiHexDigitLower))
        {
            throw ApiProblemException.BadRequest($"Invalid job id '{jobId}': a job id is 32 lower-case hexadecimal digits, as the ingest returned it.");
        }

        var job = await Grains.GetGrain<IIngestJobsGrain>(key.ToString()).Status(jobId)
            ?? throw new ApiProblemException(StatusCodes.Status404NotFound, "Unknown job", $"{char.ToUpperInvariant(owner.Describe()[0])}{owner.Describe()[1..]} has no ingest job {jobId} (finished jobs are kept 24 hours).");
        return ToJob(owner, job);
    }

    private static IngestJob ToJob(MemoryOwner owner, IngestJobView job) =>
        new(owner.Id, job.JobId, job.Status, job.Messages, job.MessagesDone, job.CreatedAt, job.CompletedAt, job.NodeIds, job.Duplicates, job.NodeCount, job.Error,
            job.Replayed, owner.ScopeText);

    private static ApiProblemException KeyReused(IdempotencyConflictException conflict) =>
        new(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", conflict.Message);

    // Everything an ingest checks before anything is stored, for both the synchronous and the asynchronous path.
    private async Task<PreparedIngest> PrepareIngestAsync(string tenant, MemoryOwner owner, IngestRequest? request, string? idempotencyKey, bool asynchronous)
    {
        var key = Key(tenant, owner);
        var messages = request?.Messages;
        if (messages is null || messages.Count == 0)
        {
            throw ApiProblemException.BadRequest("The body needs a non-empty 'messages' array.");
        }

        if (idempotencyKey is not null && IdempotencyLimits.Problem(idempotencyKey) is { } keyProblem)
        {
            throw ApiProblemException.BadRequest($"header 'Idempotency-Key' {keyProblem}.");
        }

        var settings = await Grains.GetGrain<ITenantGrain>(tenant).Settings();
        if (asynchronous && messages.Count > ApiDefaults.MaxAsyncIngestMessages)
        {
            throw ApiProblemException.QuotaExceeded("maxAsyncIngestMessages",
                $"An asynchronous ingest holds at most {ApiDefaults.MaxAsyncIngestMessages} messages; this one has {messages.Count}. Split it.",
                StatusCodes.Status413PayloadTooLarge);
        }

        if (!asynchronous && messages.Count > settings.MaxMessagesPerIngest)
        {
            throw ApiProblemException.QuotaExceeded("maxMessagesPerIngest",
                $"An ingest holds at most {settings.MaxMessagesPerIngest} messages for this tenant; this one has {messages.Count}. Split it, or send it asynchronously (header 'Prefer: respond-async').",
                StatusCodes.Status413PayloadTooLarge);
        }

        var now = clock.GetUtcNow();
        var ingest = new IngestMessage[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw ApiProblemException.BadRequest($"messages[{i}] is null.");
            ingest[i] = ToIngest(message, i, settings.MaxMessageLength, now);
        }

        if (settings.MaxUsers is { } maxUsers && await IsNewUserAsync(key) && (await Grains.GetGrain<ITenantGrain>(tenant).Usage()).Users >= maxUsers)
        {
            // Refused before the graph is touched (the tenant grain checks again, atomically, when it admits the ingest).
            throw UsersQuota(maxUsers, owner);
        }

        // The hash covers the request as the client sent it (a message without a timestamp is stamped by the server,
        // so hashing the stamped messages would make every retry look like a different request).
        var options = new IngestOptions(request!.Deduplicate == true, idempotencyKey, idempotencyKey is null ? null : RequestHash.Of(request));
        return new PreparedIngest(key, settings, ingest, options);
    }

    private sealed record PreparedIngest(GraphKey Key, TenantSettings Settings, IngestMessage[] Messages, IngestOptions Options);

    /// <summary>The graph key of <paramref name="owner"/> in <paramref name="tenant"/> (the owner's id was validated when it was bound).</summary>
    public static GraphKey Key(string tenant, MemoryOwner owner) => new(tenant, owner);

    /// <summary>
    /// The user's graph stats; 404 when the user has no memories. The tenant's user list answers first, so a user
    /// it does not list is refused without activating a graph grain; only a tenant whose list predates it (see
    /// TenantGrain) falls back to asking the graph.
    /// </summary>
    private async Task<GraphStats> RequireUserAsync(GraphKey key)
    {
        if (await Grains.GetGrain<ITenantGrain>(key.Tenant).HasUser(key.User) == false)
        {
            throw ApiProblemException.UnknownOwner(key.Owner);
        }

        var stats = await Grains.GetGrain<IUserGraphGrain>(key.ToString()).Stats();
        return stats.Nodes == 0 ? throw ApiProblemException.UnknownOwner(key.Owner) : stats;
    }

    /// <summary>Whether an ingest for <paramref name="key"/> would create a user (asks the graph only when the tenant's list cannot say).</summary>
    private async Task<bool> IsNewUserAsync(GraphKey key) =>
        await Grains.GetGrain<ITenantGrain>(key.Tenant).HasUser(key.User) switch
        {
            true => false,
            false => true,
            null => (await Grains.GetGrain<IUserGraphGrain>(key.ToString()).Stats()).Nodes == 0,
        };

    /// <summary>
    /// A memory's metadata: the node's own (stored with it since the grains carry metadata), else what the annotation
    /// grain kept for memories ingested before that (so existing data directories keep their dia_ids).
    /// </summary>
    private static IReadOnlyDictionary<string, string> MetadataOf(IReadOnlyDictionary<string, string>? stored, MemoryAnnotation? annotation) =>
        stored ?? annotation?.Metadata ?? new Dictionary<string, string>();

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private static ApiProblemException UsersQuota(int maxUsers, MemoryOwner owner) =>
        ApiProblemException.QuotaExceeded("maxUsers",
            $"The tenant has reached its quota of {maxUsers} users (memory owners: users, agents and runs); {owner.Describe()} was not created.");

    private static IngestMessage ToIngest(MessageInput message, int i, int maxLength, DateTimeOffset now)
    {
        RequireContent(message.Content, $"messages[{i}].content", maxLength);
        TextRules.RequireShort(message.Speaker, $"messages[{i}].speaker");
        TextRules.RequireShort(message.Role, $"messages[{i}].role");
        TextRules.RequireShort(message.ConversationId, $"messages[{i}].conversationId");
        RequireMetadata(message.Metadata, $"messages[{i}].metadata");

        if (message.Timestamp is { } timestamp && (timestamp.Year < 1 || timestamp > now.AddYears(100)))
        {
            throw ApiProblemException.BadRequest($"messages[{i}].timestamp {timestamp:O} is out of range.");
        }

        var speaker = string.IsNullOrWhiteSpace(message.Speaker) ? (string.IsNullOrWhiteSpace(message.Role) ? "user" : message.Role) : message.Speaker;
        return new IngestMessage(message.Content!, speaker, message.Timestamp ?? now, message.ConversationId ?? "default",
            message.Metadata is { Count: > 0 } given ? new Dictionary<string, string>(given, StringComparer.Ordinal) : null,
            string.IsNullOrEmpty(message.Role) ? null : message.Role,
            string.IsNullOrEmpty(message.ConversationId) ? null : message.ConversationId);
    }

    // A memory's text: present, within the tenant's length and storable (the same rule for ingest and update).
    private static void RequireContent(string? content, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            throw ApiProblemException.BadRequest($"{field} is missing or empty.");
        }

        if (content.Length > maxLength)
        {
            throw ApiProblemException.QuotaExceeded("maxMessageLength",
                $"{field} is {content.Length} characters long; this tenant allows at most {maxLength}.",
                StatusCodes.Status413PayloadTooLarge);
        }

        TextRules.RequireStorable(content, field);
    }

    // A memory's metadata: bounded entries, non-empty keys, string values (the same rule for ingest and update).
    private static void RequireMetadata(IReadOnlyDictionary<string, string>? metadata, string field)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > IngestLimits.MaxMetadataEntries)
        {
            throw ApiProblemException.BadRequest($"{field} has {metadata.Count} entries; at most {IngestLimits.MaxMetadataEntries} are allowed.");
        }

        foreach (var (name, value) in metadata)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw ApiProblemException.BadRequest($"{field} has an empty key; keys name the value.");
            }

            TextRules.RequireShort(name, $"{field} key");
            if (value is null)
            {
                throw ApiProblemException.BadRequest($"{field}['{name}'] is null; metadata values are strings.");
            }

            TextRules.RequireShort(value, $"{field}['{name}']");
        }
    }
}
