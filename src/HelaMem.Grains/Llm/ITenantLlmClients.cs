using Microsoft.Extensions.AI;

namespace HelaMem.Grains.Llm;

/// <summary>
/// The LLM clients to use for one tenant: those of its provider override (<c>TenantSettings.Llm</c>) when it has one,
/// else the silo's. Registered by a silo only when it has a provider (<c>HelaMem:Llm:Provider</c> is not none), so a
/// grain asks for it with <c>GetService</c> and runs its offline path when there is none.
/// </summary>
/// <remarks>
/// The override is read from the tenant grain on every call, so a change made on any silo of the cluster is used by the
/// next call; the clients themselves are kept per tenant until the override changes. Calls are still charged to the
/// ambient tenant (<c>HelaMem.Llm.LlmTenant.Enter</c>), which the caller opens.
/// </remarks>
public interface ITenantLlmClients
{
    /// <summary>The chat client for <paramref name="tenant"/>.</summary>
    ValueTask<IChatClient> ChatClientAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// The embedding generator for <paramref name="tenant"/>; throws <see cref="InvalidOperationException"/> when neither
    /// the tenant's override nor the silo names an embedding model.
    /// </summary>
    ValueTask<IEmbeddingGenerator<string, Embedding<float>>> EmbeddingGeneratorAsync(string tenant, CancellationToken cancellationToken = default);
}
