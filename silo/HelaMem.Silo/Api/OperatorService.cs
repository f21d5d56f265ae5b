using Orleans.Core.Internal;
using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Client.Contracts;
using HelaMem.Core;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Security;

namespace HelaMem.Silo.Api;

/// <summary>The operator routes' logic: tenants, keys, quotas, stats.</summary>
internal sealed partial class OperatorService(IGrainFactory grains, SiloRuntime silo, ServiceOptions options, TimeProvider clock, ILogger<OperatorService> logger)
{
    // The grain type of UserGraphGrain ([GrainType("user-graph")]).
    private const string UserGraphGrainType = "user-graph";

    private IGrainFactory Grains => grains;

    /// <summary>Creates a tenant with its quotas and first key; 409 when it exists.</summary>
    public async Task<IssuedApiKey> CreateTenantAsync(CreateTenantRequest? request)
    {
        var tenant = ValidName(request?.Name);
        var quotas = request!.Quotas ?? new TenantQuotas();
        var retrieval = request.Retrieval ?? new RetrievalSettings();
        ValidateQuotas(quotas);
        ValidateRetrieval(retrieval);
        var settings = ToSettings(quotas, retrieval, llm: null);

        var access = Grains.GetGrain<ITenantAccessGrain>(tenant);
        if (await access.Describe() is not null)
        {
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Tenant exists", $"Tenant '{tenant}' already exists; issue another key with POST /v1/admin/tenants/{tenant}/keys.");
        }

        await Grains.GetGrain<ITenantGrain>(tenant).Configure(settings);
        var (keyId, apiKey, hash) = ApiKeys.Create(tenant);
        if (!await access.Create(keyId, hash, clock.GetUtcNow()))
        {
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Tenant exists", $"Tenant '{tenant}' already exists.");
        }

        await Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).Add(tenant);
        SiloLog.TenantCreated(logger, tenant);
        return new IssuedApiKey(tenant, keyId, apiKey);
    }

    /// <summary>Every tenant.</summary>
    public async Task<TenantList> ListAsync()
    {
        var names = await Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).List();
        var tenants = await Task.WhenAll(names.Select(name => InfoAsync(name)));
        return new TenantList([.. tenants.OfType<TenantInfo>()]);
    }

    /// <summary>One tenant; 404 when it does not exist.</summary>
    public async Task<TenantInfo> GetAsync(string name) =>
        await InfoAsync(ValidName(name)) ?? throw UnknownTenant(name);

    /// <summary>Disables or enables a tenant.</summary>
    public async Task<TenantInfo> SetDisabledAsync(string name, bool disabled)
    {
        var tenant = ValidName(name);
        _ = await Grains.GetGrain<ITenantAccessGrain>(tenant).SetDisabled(disabled) ?? throw UnknownTenant(tenant);
        SiloLog.TenantChanged(logger, tenant, disabled ? "disabled" : "enabled");
        return await GetAsync(tenant);
    }

    /// <summary>
    /// Replaces the quotas, the retrieval overrides and/or the LLM provider override of a tenant (a section left out is
    /// kept); 400 naming the field, changing nothing, for an invalid value; 404 for an unknown tenant. The tenant's
    /// active user graphs are deactivated so that their next request runs with the new settings (a graph reads them
    /// when it activates); the LLM override is read by <c>ITenantLlmClients</c> on each use, so it needs no reload.
    /// </summary>
    public async Task<TenantInfo> UpdateSettingsAsync(string name, TenantSettingsUpdate? update)
    {
        var tenant = ValidName(name);
        if (update is null || (update.Quotas is null && update.Retrieval is null && update.Llm is null))
        {
            throw ApiProblemException.BadRequest("The body needs 'quotas', 'retrieval', 'llm' or several of them.");
        }

        if (update.Quotas is { } newQuotas)
        {
            ValidateQuotas(newQuotas);
        }

        if (update.Retrieval is { } newRetrieval)
        {
            ValidateRetrieval(newRetrieval);
        }

        var newLlm = update.Llm is { } llmUpdate ? ValidateLlm(llmUpdate) : null;
        var current = await InfoAsync(tenant) ?? throw UnknownTenant(tenant);
        var llm = update.Llm is not null ? newLlm : current.Llm is { } kept ? ToStored(kept) : null;
        var settings = ToSettings(update.Quotas ?? current.Quotas, update.Retrieval ?? current.Retrieval ?? new RetrievalSettings(), llm);
        await Grains.GetGrain<ITenantGrain>(tenant).Configure(settings);
        var reloaded = await ReloadGraphsAsync(tenant);
        SiloLog.TenantSettingsChanged(logger, tenant, settings, reloaded);
        return await GetAsync(tenant);
    }

    /// <summary>Issues another key.</summary>
    public async Task<IssuedApiKey> IssueKeyAsync(string name)
    {
        var tenant = ValidName(name);
        var (keyId, apiKey, hash) = ApiKeys.Create(tenant);
        if (!await Grains.GetGrain<ITenantAccessGrain>(tenant).AddKey(keyId, hash, clock.GetUtcNow()))
        {
            throw UnknownTenant(tenant);
        }

        SiloLog.TenantChanged(logger, tenant, "got a new API key " + keyId);
        return new IssuedApiKey(tenant, keyId, apiKey);
    }

    /// <summary>Revokes a key; 404 when there is no such active key.</summary>
    public async Task RevokeKeyAsync(string name, string keyId)
    {
        var tenant = ValidName(name);
        if (!await Grains.GetGrain<ITenantAccessGrain>(tenant).RevokeKey(keyId, clock.GetUtcNow()))
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, "Unknown key", $"Tenant '{tenant}' has no active key '{keyId}'.");
        }

        SiloLog.TenantChanged(logger, tenant, "revoked API key " + keyId);
    }

    /// <summary>A tenant's usage.</summary>
    public async Task<TenantStats> StatsAsync(string name)
    {
        var tenant = (await GetAsync(name)).Name;
        var usage = await Grains.GetGrain<ITenantGrain>(tenant).Usage();
        return new TenantStats(tenant, usage.Users, usage.MessagesIngested, usage.Retrievals, usage.UsersDeleted);
    }

    /// <summary>The cluster (this silo).</summary>
    public async Task<ClusterStats> ClusterAsync()
    {
        var tenants = await Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).List();
        var activations = await Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
        return new ClusterStats(silo.Address.ToString(), silo.Status.ToString(), activations, tenants.Count,
            silo.Embedder.Name, silo.DataDirectory, silo.DeploymentProfile);
    }

    private async Task<TenantInfo?> InfoAsync(string tenant)
    {
        var record = await Grains.GetGrain<ITenantAccessGrain>(tenant).Describe();
        if (record is null)
        {
            return null;
        }

        var tenantGrain = Grains.GetGrain<ITenantGrain>(tenant);
        var settings = await tenantGrain.Settings();
        return new TenantInfo(tenant, record.Disabled, record.CreatedAt,
            new TenantQuotas(settings.MaxUsers, settings.MaxMessagesPerIngest, settings.MaxMessageLength),
            [.. record.Keys.Select(k => new ApiKeyInfo(k.Id, k.CreatedAt, k.RevokedAt))],
            new RetrievalSettings(settings.TopK, settings.MaxFlipped, settings.Profile),
            await tenantGrain.RetrievalProfile(),
            ToWire(settings.Llm));
    }

    private static TenantSettings ToSettings(TenantQuotas quotas, RetrievalSettings retrieval, TenantLlmOverride? llm) =>
        new(quotas.MaxUsers, quotas.MaxMessagesPerIngest, quotas.MaxMessageLength, retrieval.TopK, retrieval.MaxFlipped, retrieval.Profile, llm);

    /// <summary>
    /// Deactivates the tenant's active user graphs on every silo of the cluster (they flush their state first and
    /// activate again with the new settings on their next call); returns how many were asked to.
    /// </summary>
    private async Task<int> ReloadGraphsAsync(string tenant)
    {
        // Quota limits and k/m are read by a graph when it activates; the silo checks quotas itself on every
        // request, but a graph keeps the limits it started with, so a raised limit would still be refused there.
        var prefix = tenant + "/";
        // The management grain filters by grain class name, not grain type: filter the grain ids here.
        var active = await Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var graphs = active
            .Select(statistic => statistic.GrainId)
            .Where(id => id.Type.ToString() == UserGraphGrainType && id.Key.ToString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct()
            .ToList();
        await Task.WhenAll(graphs.Select(id => Grains.GetGrain(id).AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
        return graphs.Count;
    }

    private static void ValidateRetrieval(RetrievalSettings retrieval)
    {
        if (retrieval.TopK is < 1 or > ApiDefaults.MaxTopK)
        {
            throw ApiProblemException.BadRequest($"retrieval.topK must be between 1 and {ApiDefaults.MaxTopK} (or null for the silo's default).");
        }

        if (retrieval.MaxFlipped is < 0 or > ApiDefaults.MaxTopK)
        {
            throw ApiProblemException.BadRequest($"retrieval.maxFlipped must be between 0 and {ApiDefaults.MaxTopK} (or null for the silo's default).");
        }

        if (retrieval.Profile is not null && !RetrievalProfiles.IsKnown(retrieval.Profile))
        {
            throw ApiProblemException.BadRequest($"retrieval.profile is '{retrieval.Profile}'; it must be one of {string.Join(", ", RetrievalProfiles.Names)} (or null for the silo's default).");
        }
    }

    private static void ValidateQuotas(TenantQuotas quotas)
    {
        if (quotas.MaxUsers is < 1)
        {
            throw ApiProblemException.BadRequest("quotas.maxUsers must be at least 1 (or null for no limit).");
        }

        if (quotas.MaxMessagesPerIngest is < 1 or > 1000)
        {
            throw ApiProblemException.BadRequest("quotas.maxMessagesPerIngest must be between 1 and 1000.");
        }

        if (quotas.MaxMessageLength is < 1 or > 16_384)
        {
            throw ApiProblemException.BadRequest("quotas.maxMessageLength must be between 1 and 16384.");
        }
    }

    private static string ValidName(string? name)
    {
        try
        {
            return KeySegment.Validate(name, "tenant");
        }
        catch (ArgumentException e)
        {
            throw ApiProblemException.BadRequest(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static ApiProblemException UnknownTenant(string tenant) =>
        new(StatusCodes.Status404NotFound, "Unknown tenant", $"Tenant '{tenant}' does not exist.");
}
