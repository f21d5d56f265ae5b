using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Distillation;
using HelaMem.Grains.Graph;
using HelaMem.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace HelaMem.Grains.Hosting;

/// <summary>Adds the memory grains to a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds the memory grains (user graph, memory node, consolidation, semantic memory, tenant) with the offline
    /// defaults: the GloVe-SIF embedder from the default cache (the hashing fallback, with a warning, when the cache
    /// is missing) unless <paramref name="embedder"/> is given, the extractive distiller unless an
    /// <see cref="IDistiller"/> is registered, and the <see cref="TenantIsolationFilter"/>. The silo then hosts only the grain classes of the assemblies added
    /// to it: add your own grain assembly too if you have one.
    /// </summary>
    public static SiloBuilder AddHelaMemGrains(this SiloBuilder builder, Action<HelaMemGrainOptions>? configure = null, ISentenceEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new HelaMemGrainOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.AddGrainAssembly(typeof(UserGraphGrain).Assembly);
        builder.Services.TryAddSingleton(options);
        if (embedder is not null)
        {
            builder.Services.TryAddSingleton(embedder);
        }
        else
        {
            builder.Services.TryAddSingleton(services => OfflineEmbedder.Create(null, services.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Embeddings")));
        }

        builder.Services.TryAddSingleton<IDistiller, ExtractiveGrainDistiller>();
        builder.AddIncomingGrainCallFilter(new TenantIsolationFilter());
        return builder;
    }
}
