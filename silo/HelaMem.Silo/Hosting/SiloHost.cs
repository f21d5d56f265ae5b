using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Tenants;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime;
using HelaMem.Runtime.Hosting;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Runs one silo of the runtime inside the web host: SQLite grain storage and reminders in the data directory, the
/// memory grains with the offline embedder and extractive distiller, the API's own grains and the tenant isolation
/// filter. Started and stopped (gracefully, flushing state) with the host.
/// </summary>
public sealed class SiloHost : IHostedService, IAsyncDisposable
{
    private readonly HelaMem.Runtime.Hosting.Silo _silo;
    private readonly ILogger<SiloHost> _logger;

    /// <summary>Builds the silo (not yet started).</summary>
    public SiloHost(ServiceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger<SiloHost>();
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        Embedder = OfflineEmbedder.Create(options.EmbeddingCacheDirectory, loggerFactory.CreateLogger("HelaMem.Embeddings"));
        if (Embedder is HashingEmbedder)
        {
            SiloLog.HashingFallback(_logger);
        }

        var storage = new SqliteStorageOptions { DataDirectory = DataDirectory };
        var builder = new SiloBuilder()
            .Configure(silo => silo.SiloName = "silo-0")
            .AddGrainAssembly(typeof(SiloHost).Assembly)
            .AddGrainStorage("Default", services => new SqliteGrainStorage(storage, services.GetRequiredService<ILogger<SqliteGrainStorage>>()))
            .UseReminderTable(services => new SqliteReminderTable(storage, services.GetRequiredService<ILogger<SqliteReminderTable>>()))
            .AddIncomingGrainCallFilter(new TenantBoundaryFilter())
            .AddHelaMemGrains(grains => grains.ConsolidationPeriod = TimeSpan.FromMinutes(options.ConsolidationPeriodMinutes), Embedder);

        // Read by the tenant grain for tenants without a profile of their own (validated with the other settings).
        builder.Services.AddSingleton(new DefaultRetrievalProfile(options.Retrieval.Profile));

        // The runtime and grains log through the host's providers.
        builder.Services.TryAdd(ServiceDescriptor.Singleton(loggerFactory));
        _silo = builder.Build();
    }

    /// <summary>The absolute data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The sentence embedder the grains use.</summary>
    public ISentenceEmbedder Embedder { get; }

    /// <summary>The runtime silo.</summary>
    public HelaMem.Runtime.Hosting.Silo Silo => _silo;

    /// <summary>The grain factory the API calls grains through.</summary>
    public IGrainFactory GrainFactory => _silo.GrainFactory;

    /// <summary>Whether the silo serves calls.</summary>
    public bool IsReady => _silo.Status == HelaMem.Runtime.Membership.SiloStatus.Active;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _silo.StartAsync(cancellationToken);
        SiloLog.SiloStarted(_logger, _silo.Address, DataDirectory, Embedder.GetType().Name);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _silo.StopAsync(cancellationToken);
        SiloLog.SiloStopped(_logger, _silo.Address);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
