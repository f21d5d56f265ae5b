using System.Collections.Concurrent;
using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Llm;
using HelaMem.Llm;
using Microsoft.Extensions.AI;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// <see cref="ITenantLlmClients"/> on this silo's <see cref="LlmClientFactory"/>: a tenant without an override gets the
/// silo's clients; one with an override gets clients made for it, kept until the stored override differs.
/// </summary>
/// <remarks>
/// The override is asked of the tenant grain on every call rather than cached with a notification: one in-cluster call
/// next to a provider call that takes hundreds of milliseconds, and a change made through any silo is seen at once by
/// all of them. The factory shares the SDK client and breaker per address, so replacing a tenant's clients opens no
/// connection; replaced clients are dropped, not disposed, since a call may still be using them.
/// </remarks>
internal sealed class TenantLlmClients(
    IGrainFactory grains,
    ServiceOptions options,
    LlmClientFactory factory,
    IChatClient siloChat,
    IEmbeddingGenerator<string, Embedding<float>> siloEmbeddings) : ITenantLlmClients
{
    private readonly ConcurrentDictionary<string, TenantClients> _tenants = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<IChatClient> ChatClientAsync(string tenant, CancellationToken cancellationToken = default) =>
        await ForAsync(tenant, cancellationToken) is { } clients ? clients.Chat.Value : siloChat;

    /// <inheritdoc />
    public async ValueTask<IEmbeddingGenerator<string, Embedding<float>>> EmbeddingGeneratorAsync(string tenant, CancellationToken cancellationToken = default) =>
        await ForAsync(tenant, cancellationToken) is { } clients ? clients.Embeddings.Value : siloEmbeddings;

    private async Task<TenantClients?> ForAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var settings = await grains.GetGrain<ITenantGrain>(tenant).Settings().WaitAsync(cancellationToken);
        if (settings.Llm is not { IsEmpty: false } stored)
        {
            _tenants.TryRemove(tenant, out _);
            return null;
        }

        if (_tenants.TryGetValue(tenant, out var cached) && cached.Stored == stored)
        {
            return cached;
        }

        var created = Create(tenant, stored);
        _tenants[tenant] = created;
        return created;
    }

    private TenantClients Create(string tenant, TenantLlmOverride stored)
    {
        var wanted = new LlmOverride(stored.Endpoint, stored.ChatModel, stored.EmbeddingModel, stored.ApiVersion);

        // The route validated the override against the silo's settings when it was set; a silo configured differently
        // since (an endpoint taken off TenantEndpoints) must not send the tenant elsewhere without saying so.
        var errors = wanted.Validate(options.Llm).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"Tenant {tenant}'s LLM override is not allowed by this silo's {LlmOptions.Section} settings: {string.Join(" ", errors)} Change or remove it with PUT /v1/admin/tenants/{tenant}/settings.");
        }

        return new TenantClients(
            stored,
            new Lazy<IChatClient>(() => factory.CreateChatClient(wanted)),
            new Lazy<IEmbeddingGenerator<string, Embedding<float>>>(() => factory.CreateEmbeddingGenerator(wanted)));
    }

    /// <summary>The clients made for one stored override.</summary>
    private sealed record TenantClients(TenantLlmOverride Stored, Lazy<IChatClient> Chat, Lazy<IEmbeddingGenerator<string, Embedding<float>>> Embeddings);
}
