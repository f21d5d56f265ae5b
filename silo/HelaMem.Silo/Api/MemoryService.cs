using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Hosting;

namespace HelaMem.Silo.Api;

/// <summary>
/// The tenant routes' logic over the memory grains. Every key is built from the authenticated tenant and a
/// validated memory owner (a user, an agent or a run; each its own graph); input is checked completely before the
/// first grain call that changes anything.
/// </summary>
internal sealed partial class MemoryService(IGrainFactory grains, TimeProvider clock)
{
    private IGrainFactory Grains => grains;

    /// <summary>Stores a batch of messages.</summary>
    public async Task<IngestResult> IngestAsync(string tenant, MemoryOwner owner, IngestRequest? request)
    {
        var key = Key(tenant, owner);
        var messages = request?.Messages;
        if (messages is null || messages.Count == 0)
        {
            throw ApiProblemException.BadRequest("The body needs a non-empty 'messages' array.");
        }

        var settings = await Grains.GetGrain<ITenantGrain>(tenant).Settings();
        if (messages.Count > settings.MaxMessagesPerIngest)
        {
            throw ApiProblemException.QuotaExceeded("maxMessagesPerIngest",
                $"An ingest holds at most {settings.MaxMessagesPerIngest} messages for this tenant; this one has {messages.Count}. Split it.",
                StatusCodes.Status413PayloadTooLarge);
        }

        var now = clock.GetUtcNow();
        var ingest = new IngestMessage[messages.Count];
        var annotations = new List<(int Index, MessageInput Message)>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw ApiProblemException.BadRequest($"messages[{i}] is null.");
            ingest[i] = ToIngest(message, i, settings.MaxMessageLength, now);

            // Metadata travels with the message into the node (one durable write); role and conversation id are not
            // part of the grains' node, so the annotation grain keeps those.
            if (message.Role is not null || message.ConversationId is not null)
            {
                annotations.Add((i, message));
            }
        }

        var graph = Grains.GetGrain<IUserGraphGrain>(key.ToString());
        if (settings.MaxUsers is { } maxUsers && await IsNewUserAsync(key) && (await Grains.GetGrain<ITenantGrain>(tenant).Usage()).Users >= maxUsers)
        {
            // Refused before the graph is touched (the tenant grain checks again, atomically, when it admits the ingest).
            throw UsersQuota(maxUsers, owner);
        }

        IngestReceipt receipt;
        try
        {
            receipt = await graph.Ingest(ingest);
        }
        catch (InvalidOperationException) when (settings.MaxUsers is { } userLimit)
        {
            // The tenant grain refused a new user (a concurrent ingest took the last place).
            throw UsersQuota(userLimit, owner);
        }

        if (annotations.Count > 0)
        {
            await Grains.GetGrain<IMemoryAnnotationGrain>(key.ToString()).Put(
                [.. annotations.Select(a => new MemoryAnnotation(receipt.NodeIds[a.Index], a.Message.Role, a.Message.ConversationId, null))]);
        }

        return new IngestResult(owner.Id, receipt.NodeIds, receipt.NodeCount, owner.ScopeText);
    }

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

    private static ApiProblemException UsersQuota(int maxUsers, MemoryOwner owner) =>
        ApiProblemException.QuotaExceeded("maxUsers",
            $"The tenant has reached its quota of {maxUsers} users (memory owners: users, agents and runs); {owner.Describe()} was not created.");

    private static IngestMessage ToIngest(MessageInput message, int i, int maxLength, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(message.Content))
        {
            throw ApiProblemException.BadRequest($"messages[{i}].content is missing or empty.");
        }

        if (message.Content.Length > maxLength)
        {
            throw ApiProblemException.QuotaExceeded("maxMessageLength",
                $"messages[{i}].content is {message.Content.Length} characters long; this tenant allows at most {maxLength}.",
                StatusCodes.Status413PayloadTooLarge);
        }

        TextRules.RequireStorable(message.Content, $"messages[{i}].content");
        TextRules.RequireShort(message.Speaker, $"messages[{i}].speaker");
        TextRules.RequireShort(message.Role, $"messages[{i}].role");
        TextRules.RequireShort(message.ConversationId, $"messages[{i}].conversationId");
        if (message.Metadata is { } metadata)
        {
            if (metadata.Count > IngestLimits.MaxMetadataEntries)
            {
                throw ApiProblemException.BadRequest($"messages[{i}].metadata has {metadata.Count} entries; at most {IngestLimits.MaxMetadataEntries} are allowed.");
            }

            foreach (var (name, value) in metadata)
            {
                if (string.IsNullOrWhiteSpace(name))
                {
                    throw ApiProblemException.BadRequest($"messages[{i}].metadata has an empty key; keys name the value.");
                }

                TextRules.RequireShort(name, $"messages[{i}].metadata key");
                if (value is null)
                {
                    throw ApiProblemException.BadRequest($"messages[{i}].metadata['{name}'] is null; metadata values are strings.");
                }

                TextRules.RequireShort(value, $"messages[{i}].metadata['{name}']");
            }
        }

        if (message.Timestamp is { } timestamp && (timestamp.Year < 1 || timestamp > now.AddYears(100)))
        {
            throw ApiProblemException.BadRequest($"messages[{i}].timestamp {timestamp:O} is out of range.");
        }

        var speaker = string.IsNullOrWhiteSpace(message.Speaker) ? (string.IsNullOrWhiteSpace(message.Role) ? "user" : message.Role) : message.Speaker;
        return new IngestMessage(message.Content, speaker, message.Timestamp ?? now, message.ConversationId ?? "default",
            message.Metadata is { Count: > 0 } given ? new Dictionary<string, string>(given, StringComparer.Ordinal) : null);
    }
}
