using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Core;
using HelaMem.Grains.State;
using HelaMem.Grains.Hosting;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Grains.Tenants;

/// <summary>
/// A tenant: settings (quotas, parameter overrides), usage counters and the list of its memory owners (users, agents
/// and runs, by key segment; "users" below means all of them, as the quota counts them).
/// </summary>
/// <remarks>
/// The user list lets the API refuse an unknown user without activating (and loading) a user-graph grain. State
/// written before the list existed has none: if that tenant had users, the list starts incomplete (only users
/// seen since are in it) and <see cref="HasUser"/> answers null for the others, so the caller asks the graph; it
/// becomes complete once the tenant has no users left.
/// </remarks>
[GrainType("tenant")]
public sealed partial class TenantGrain([PersistentState("tenant", HelaMemGrains.StorageName)] IPersistentState<TenantState> stored, IServiceProvider services) : Grain, ITenantGrain
{
    private string? _grainKey;

    // The grain's key, formatted once (Orleans formats it on every call otherwise).
    private string GrainKey => _grainKey ??= this.GetPrimaryKeyString();

    // Looked up rather than injected: a silo may register no default (tests, other hosts of the grains), and then runs
    // its configured algorithm unchanged ("paper").
    private readonly string _defaultProfile = (services.GetService(typeof(DefaultRetrievalProfile)) as DefaultRetrievalProfile)?.Name ?? RetrievalProfiles.PaperName;

    private static readonly TenantSettings Defaults = new();

    private TenantState Tenant => stored.State;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        KeySegment.Validate(GrainKey, "tenant");
        if (Tenant.UserIds is null)
        {
            // A new tenant, or state from before the list: complete only if there is nobody to have missed.
            Tenant.UserIds = new HashSet<string>(StringComparer.Ordinal);
            Tenant.UserListComplete = Tenant.Users == 0;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task Configure(TenantSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxUsers is < 1)
        {
            throw new ArgumentException("MaxUsers must be at least 1 (or null for no limit).", nameof(settings));
        }

        if (settings.MaxMessagesPerIngest < 1 || settings.MaxMessageLength < 1)
        {
            throw new ArgumentException("MaxMessagesPerIngest and MaxMessageLength must be at least 1.", nameof(settings));
        }

        if (settings.TopK is < 1 || settings.MaxFlipped is < 0)
        {
            throw new ArgumentException("TopK must be at least 1 and MaxFlipped not negative.", nameof(settings));
        }

        if (settings.Profile is not null)
        {
            RetrievalProfiles.Validate(settings.Profile, nameof(settings));
        }

        // The silo checks an override against its provider settings (which the grain does not have); the grain only
        // keeps stored values bounded and stores an override that changes nothing as none.
        if (settings.Llm is { } llm)
        {
            if (new[] { llm.Endpoint, llm.ChatModel, llm.EmbeddingModel, llm.ApiVersion }.Any(field => field is { Length: 0 or > TenantLlmOverride.MaxFieldLength }))
            {
                throw new ArgumentException($"Every Llm field must be null or have 1 to {TenantLlmOverride.MaxFieldLength} characters.", nameof(settings));
            }

            if (llm.IsEmpty)
            {
                settings = settings with { Llm = null };
            }
        }

        Tenant.Settings = settings;
        await stored.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<TenantSettings> Settings() => Task.FromResult(Tenant.Settings ?? Defaults);

    /// <inheritdoc />
    public Task<string> RetrievalProfile() => Task.FromResult(Tenant.Settings?.Profile ?? _defaultProfile);

    /// <inheritdoc />
    public Task<TenantUsage> Usage() => Task.FromResult(new TenantUsage(Tenant.Users, Tenant.MessagesIngested, Tenant.Retrievals, Tenant.UsersDeleted, Tenant.ConsolidationRuns, Tenant.SemanticItems));

    /// <inheritdoc />
    public async Task CountConsolidation(int itemsAdded)
    {
        // A deleted tenant's grain has no record: a late report must not write one back.
        if (!stored.RecordExists)
        {
            return;
        }

        // Written at once: a run happens once per owner and period, and the operators' page shows the count.
        Tenant.ConsolidationRuns++;
        Tenant.SemanticItems += Math.Max(0, itemsAdded);
        await stored.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task CountSemanticItemsRemoved(int items)
    {
        // Never below zero: items stored before the count was kept were never counted. Nothing to write for a deleted
        // tenant (no record: it arrived after the tenant's state was cleared) or an unchanged count.
        var remaining = Math.Max(0, Tenant.SemanticItems - Math.Max(0, items));
        if (!stored.RecordExists || remaining == Tenant.SemanticItems)
        {
            return;
        }

        Tenant.SemanticItems = remaining;
        await stored.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task AdmitIngest(string user, int messages, bool newUser)
    {
        MemoryOwner.Parse(user);
        if (Tenant.Deleting)
        {
            throw new TenantDeletingException($"Tenant {GrainKey} is being deleted; nothing is stored for it.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(messages, 1);
        var settings = Tenant.Settings ?? Defaults;
        if (messages > settings.MaxMessagesPerIngest)
        {
            throw new ArgumentException($"Tenant {GrainKey} allows at most {settings.MaxMessagesPerIngest} messages per ingest; this one has {messages}.", nameof(messages));
        }

        if (newUser && settings.MaxUsers is { } maxUsers && Tenant.Users >= maxUsers)
        {
            throw new InvalidOperationException($"Tenant {GrainKey} has reached its quota of {maxUsers} users; user {user} was not created.");
        }

        // Listed before the graph writes anything: the list may name a user whose ingest then failed (a lookup
        // finds an empty graph), never miss one that has memories.
        if (UserIds.Add(user))
        {
            _sortedOwners = null;
        }

        Tenant.Users += newUser ? 1 : 0;
        Tenant.MessagesIngested += messages;
        await stored.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<bool?> HasUser(string user)
    {
        MemoryOwner.Parse(user);
        bool? known = UserIds.Contains(user) ? true : Tenant.UserListComplete ? false : null;
        return Task.FromResult(known);
    }

    /// <inheritdoc />
    public Task CountRetrievals(long count)
    {
        // Counted in memory and written with the next durable change (a counter, not data worth a write per query).
        Tenant.Retrievals += Math.Max(0, count);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task UserDeleted(string user)
    {
        MemoryOwner.Parse(user);
        UserIds.Remove(user);
        _sortedOwners = null;
        Tenant.UsersDeleted++;
        Tenant.Users = Math.Max(0, Tenant.Users - 1);
        if (Tenant.Users == 0)
        {
            // Nobody left (the counter never undercounts: a delete is counted only for a graph that was stored).
            Tenant.UserIds?.Clear();
            Tenant.UserListComplete = true;
        }

        await stored.WriteStateAsync();
    }

    private HashSet<string> UserIds => Tenant.UserIds ??= new HashSet<string>(StringComparer.Ordinal);
}
