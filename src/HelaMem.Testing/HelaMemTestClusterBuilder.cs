using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Tenants;
using HelaMem.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HelaMem.Testing;

/// <summary>
/// Configures a <see cref="HelaMemTestCluster"/>: Orleans' <see cref="InProcessTestCluster"/> with HelaMem's grains
/// on every silo. Defaults suit tests: one silo, the deterministic hashing embedder (no word vectors to download),
/// Hebbian weights flushed every 100 ms, and the embedded SQLite store in a temporary data directory that every silo
/// shares and that is deleted with the cluster.
/// </summary>
public sealed class HelaMemTestClusterBuilder
{
    private readonly List<Action<ISiloBuilder>> _siloConfigurations = [];
    private readonly List<Action<HelaMemGrainOptions>> _grainConfigurations = [];
    private short _silos = 1;
    private string? _dataDirectory;
    private bool _orleansMemoryStorage;
    private ISentenceEmbedder? _embedder;
    private string? _defaultProfile;
    private TimeSpan _responseTimeout = TimeSpan.FromSeconds(30);
    private bool _logFiles = true;

    /// <summary>How many silos the cluster starts with (default 1).</summary>
    public HelaMemTestClusterBuilder WithSilos(short silos)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, (short)1);
        _silos = silos;
        return this;
    }

    /// <summary>
    /// Keeps grain state and reminders in SQLite under <paramref name="dataDirectory"/> (created when missing, kept
    /// after the cluster), for example to restart a whole cluster on the same data. Default: a temporary directory.
    /// </summary>
    public HelaMemTestClusterBuilder UseDataDirectory(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _dataDirectory = Path.GetFullPath(dataDirectory);
        _orleansMemoryStorage = false;
        return this;
    }

    /// <summary>
    /// Keeps grain state and reminders in Orleans' in-memory providers instead of SQLite: faster, but each silo holds
    /// its own part of the state, which is lost when that silo is killed or restarted. For benchmarks and tests that
    /// never stop a silo.
    /// </summary>
    public HelaMemTestClusterBuilder UseOrleansMemoryStorage()
    {
        _orleansMemoryStorage = true;
        _dataDirectory = null;
        return this;
    }

    /// <summary>The sentence embedder of every silo (default: <see cref="HashingEmbedder"/>, deterministic and offline).</summary>
    public HelaMemTestClusterBuilder WithEmbedder(ISentenceEmbedder embedder)
    {
        _embedder = embedder ?? throw new ArgumentNullException(nameof(embedder));
        return this;
    }

    /// <summary>Changes the memory grains' options (algorithm, flush interval, consolidation period, limits).</summary>
    public HelaMemTestClusterBuilder ConfigureGrains(Action<HelaMemGrainOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _grainConfigurations.Add(configure);
        return this;
    }

    /// <summary>
    /// The retrieval profile of tenants without one of their own ("paper" or "helamem"), as the silo's
    /// <c>HelaMem:Retrieval:Profile</c> setting; without it such tenants get "paper".
    /// </summary>
    public HelaMemTestClusterBuilder WithDefaultRetrievalProfile(string profile)
    {
        _defaultProfile = new DefaultRetrievalProfile(profile).Name;
        return this;
    }

    /// <summary>How long a grain call may take before it fails (default 30 s, as Orleans'); lower it to find hangs quickly.</summary>
    public HelaMemTestClusterBuilder WithResponseTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _responseTimeout = timeout;
        return this;
    }

    /// <summary>
    /// Turns off Orleans' test log files (by default the test cluster writes each silo's and the client's log to
    /// <c>logs/&lt;cluster&gt;_&lt;n&gt;_&lt;node&gt;.log</c> under the working directory): for tools and benchmarks that run in
    /// a user's directory.
    /// </summary>
    public HelaMemTestClusterBuilder WithoutLogFiles()
    {
        _logFiles = false;
        return this;
    }

    /// <summary>Anything else on every silo: your own grains' services, filters, options.</summary>
    public HelaMemTestClusterBuilder ConfigureSilo(Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _siloConfigurations.Add(configure);
        return this;
    }

    /// <summary>Creates and starts the cluster; on failure nothing is left running.</summary>
    public async Task<HelaMemTestCluster> DeployAsync()
    {
        var temporary = _dataDirectory is null && !_orleansMemoryStorage;
        var dataDirectory = _orleansMemoryStorage
            ? null
            : _dataDirectory ?? Path.Combine(Path.GetTempPath(), "helamem-test-" + Guid.NewGuid().ToString("N"));
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
        }

        var embedder = _embedder ?? new HashingEmbedder();
        var builder = new InProcessTestClusterBuilder(_silos);
        builder.Options.ConfigureFileLogging = _logFiles;
        builder.ConfigureSilo((_, silo) => ConfigureSilo(silo, dataDirectory, embedder));
        builder.ConfigureClient(client =>
        {
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = _responseTimeout);
            client.Configure<ClusterMembershipOptions>(FastFailureDetection);
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            if (temporary)
            {
                TryDelete(dataDirectory!);
            }

            throw;
        }

        return new HelaMemTestCluster(cluster, embedder, dataDirectory, temporary);
    }

    // A killed silo is declared dead after two missed probes of one second (Orleans' defaults take 10-20 s), so tests
    // that kill silos wait seconds, not minutes (docs/orleans.md, "Timeouts, collection, membership").
    private static void FastFailureDetection(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(1);
    }

    private void ConfigureSilo(ISiloBuilder silo, string? dataDirectory, ISentenceEmbedder embedder)
    {
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = _responseTimeout);
        silo.Configure<ClusterMembershipOptions>(FastFailureDetection);

        // Reminders fire at test speed: consolidation periods of a fraction of a second are allowed.
        silo.Configure<ReminderOptions>(o =>
        {
            o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);
            o.RefreshReminderListPeriod = TimeSpan.FromMilliseconds(500);
        });
        if (dataDirectory is null)
        {
            // The stored format of the SQLite provider (System.Text.Json of the declared type). Orleans' default, Newtonsoft
            // with type names, writes the memory grains' state but refuses to read it back (their state types are not
            // [GenerateSerializer] types, so not on Orleans' type allow-list): every reactivation failed.
            silo.AddMemoryGrainStorage(HelaMemGrains.StorageName, o => o.GrainStorageSerializer = new HelaMemJsonGrainStorageSerializer());
            silo.UseInMemoryReminderService();
        }
        else
        {
            // WAL with synchronous NORMAL survives the death of the process, which is what killing a silo simulates;
            // FULL (the service's default) also survives power loss, at an fsync per commit that tests do not need.
            silo.AddSqliteGrainStorage(HelaMemGrains.StorageName, o =>
            {
                o.DataDirectory = dataDirectory;
                o.Synchronous = SqliteSynchronousMode.Normal;
            });
            silo.UseSqliteReminderService(o =>
            {
                o.DataDirectory = dataDirectory;
                o.Synchronous = SqliteSynchronousMode.Normal;
            });
        }

        silo.AddHelaMemGrains(options =>
        {
            options.WeightFlushInterval = TimeSpan.FromMilliseconds(100);
            foreach (var configure in _grainConfigurations)
            {
                configure(options);
            }
        }, embedder);
        if (_defaultProfile is not null)
        {
            silo.Services.AddSingleton(new DefaultRetrievalProfile(_defaultProfile));
        }

        foreach (var configure in _siloConfigurations)
        {
            configure(silo);
        }
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary directory another process still holds open: the OS cleans it later.
        }
    }
}
