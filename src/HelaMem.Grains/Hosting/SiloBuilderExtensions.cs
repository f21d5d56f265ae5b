using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Distillation;
using HelaMem.Grains.Embedding;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime.Placement;

namespace HelaMem.Grains.Hosting;

/// <summary>Adds the memory grains to an Orleans silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds what the memory grains (user graph, memory node, consolidation, semantic memory, tenant) need on a silo: their
    /// options, the user-graph placement director, the tenant isolation filter, and the offline defaults: the GloVe-SIF
    /// embedder from the default cache (the hashing fallback, with a warning, when the cache is missing) unless
    /// <paramref name="embedder"/> is given, used through <see cref="SentenceGraphEmbedder"/> unless an
    /// <see cref="IGraphEmbedder"/> is registered, and the extractive distiller unless an <see cref="IDistiller"/> is
    /// registered. The grain classes themselves are found by Orleans' code generator. The silo must also register a
    /// grain storage named <see cref="HelaMemGrains.StorageName"/> and a reminder service.
    /// </summary>
    public static ISiloBuilder AddHelaMemGrains(this ISiloBuilder builder, Action<HelaMemGrainOptions>? configure = null, ISentenceEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new HelaMemGrainOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.TryAddSingleton(options);
        if (embedder is not null)
        {
            builder.Services.TryAddSingleton(embedder);
        }
        else
        {
            builder.Services.TryAddSingleton(services => OfflineEmbedder.Create(null, services.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Embeddings")));
        }

        // The grains embed through IGraphEmbedder; a silo that embeds remotely registers its own before this.
        builder.Services.TryAddSingleton<IGraphEmbedder>(services => new SentenceGraphEmbedder(services.GetRequiredService<ISentenceEmbedder>()));
        builder.Services.TryAddSingleton<IDistiller, ExtractiveGrainDistiller>();
        builder.Services.AddPlacementDirector<UserGraphPlacementStrategy, UserGraphPlacementDirector>();
        builder.AddIncomingGrainCallFilter<TenantIsolationFilter>();
        return builder;
    }
}
