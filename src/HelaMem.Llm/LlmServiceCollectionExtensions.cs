using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace HelaMem.Llm;

/// <summary>Registers the provider's clients in a host's services.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// With a provider configured, registers <see cref="LlmClientFactory"/>, <see cref="IChatClient"/> and
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (string to float embeddings) as singletons; with
    /// <c>none</c>, registers nothing, so that a consumer can tell there is no LLM. The usage sink and the quota are
    /// taken from the services when registered (no report, no limit otherwise).
    /// </summary>
    public static IServiceCollection AddHelaMemLlm(this IServiceCollection services, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return services;
        }

        services.TryAddSingleton<ILlmTokenQuota>(UnlimitedTokenQuota.Instance);
        services.AddSingleton(provider => new LlmClientFactory(
            options,
            provider.GetService<ILlmUsageSink>() ?? NoUsageSink.Instance,
            provider.GetRequiredService<ILlmTokenQuota>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        services.AddSingleton(provider => provider.GetRequiredService<LlmClientFactory>().CreateChatClient());
        services.AddSingleton(provider => provider.GetRequiredService<LlmClientFactory>().CreateEmbeddingGenerator());
        return services;
    }

    private sealed class NoUsageSink : ILlmUsageSink
    {
        public static NoUsageSink Instance { get; } = new();

        public void Record(LlmUsage usage) { }
    }
}
