using System.Reflection;
using HelaMem.Persistence.Memory;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime;
using HelaMem.Runtime.Hosting;
using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Messaging;
using HelaMem.Runtime.Metadata;
using HelaMem.Runtime.Placement;
using HelaMem.Runtime.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelaMem.TestingHost;

/// <summary>
/// Several silos in one process, sharing an in-process membership view, grain directory and transport, plus a
/// client grain factory that enters through any running silo. Storage is in memory (shared by all silos and
/// restarts) unless <see cref="TestClusterBuilder.UseSqliteStorage"/> was chosen.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly Action<int, SiloBuilder>[] _configurations;
    private readonly Assembly[] _assemblies;
    private readonly string? _sqliteDirectory;
    private readonly int _initialSiloCount;
    private readonly List<TestSilo> _silos = [];
    private readonly Lock _lock = new();
    private readonly ClientRuntime _client;
    private int _nextIndex;

    internal TestCluster(int siloCount, Action<int, SiloBuilder>[] configurations, Assembly[] assemblies, string? sqliteDirectory)
    {
        _initialSiloCount = siloCount;
        _configurations = configurations;
        _assemblies = assemblies;
        _sqliteDirectory = sqliteDirectory;
        _client = new ClientRuntime(this);
        GrainFactory = new GrainFactory(GrainTypeRegistry.Create(assemblies), _client);
    }

    /// <summary>The shared membership view.</summary>
    public InMemoryClusterMembership Membership { get; } = new();

    /// <summary>The shared grain directory.</summary>
    public InMemoryGrainDirectory Directory { get; } = new();

    /// <summary>The shared in-process transport.</summary>
    public InProcessTransport Transport { get; } = new();

    /// <summary>The in-memory grain storage (named <c>Default</c>) shared by all silos; null with SQLite storage.</summary>
    public InMemoryGrainStorage? MemoryStorage { get; private set; }

    /// <summary>The in-memory reminder table shared by all silos; null with SQLite storage.</summary>
    public InMemoryReminderTable? MemoryReminders { get; private set; }

    /// <summary>A client grain factory: each call enters the cluster through a running silo.</summary>
    public IGrainFactory GrainFactory { get; }

    /// <summary>The running silos, in creation order.</summary>
    public IReadOnlyList<TestSilo> Silos
    {
        get
        {
            lock (_lock)
            {
                return [.. _silos.Where(s => s.IsRunning)];
            }
        }
    }

    /// <summary>The first running silo.</summary>
    public TestSilo Primary => Silos is { Count: > 0 } running ? running[0] : throw new InvalidOperationException("No silo of the test cluster is running.");

    /// <summary>Starts the initial silos.</summary>
    public async Task DeployAsync()
    {
        if (_sqliteDirectory is null)
        {
            MemoryStorage = new InMemoryGrainStorage();
            MemoryReminders = new InMemoryReminderTable();
        }
        else
        {
            System.IO.Directory.CreateDirectory(_sqliteDirectory);
        }

        for (var i = 0; i < _initialSiloCount; i++)
        {
            await StartAdditionalSiloAsync();
        }
    }

    /// <summary>Starts one more silo (named <c>silo-N</c>).</summary>
    public Task<TestSilo> StartAdditionalSiloAsync()
    {
        int index;
        lock (_lock)
        {
            index = _nextIndex++;
        }

        return StartSiloAsync(index);
    }

    /// <summary>Stops <paramref name="silo"/> gracefully (its activations deactivate and flush first).</summary>
    public Task StopSiloAsync(TestSilo silo)
    {
        EnsureMember(silo);
        return silo.Silo.StopAsync();
    }

    /// <summary>Kills <paramref name="silo"/> abruptly (no deactivation; as if its process died).</summary>
    public Task KillSiloAsync(TestSilo silo)
    {
        EnsureMember(silo);
        return silo.Silo.KillAsync();
    }

    /// <summary>Stops <paramref name="silo"/> (gracefully, or by killing it) and starts a new silo with the same name and index.</summary>
    public async Task<TestSilo> RestartSiloAsync(TestSilo silo, bool kill = false)
    {
        EnsureMember(silo);
        if (kill)
        {
            await silo.Silo.KillAsync();
        }
        else
        {
            await silo.Silo.StopAsync();
        }

        lock (_lock)
        {
            _silos.Remove(silo);
        }

        return await StartSiloAsync(silo.Index);
    }

    /// <summary>The running silo that holds the activation of <paramref name="grainId"/>, or null.</summary>
    public TestSilo? FindHostingSilo(GrainId grainId) => Silos.FirstOrDefault(s => s.Silo.ActiveGrains.Contains(grainId));

    /// <summary>Force-deactivates <paramref name="grain"/> wherever it is active; true when it was active.</summary>
    public Task<bool> DeactivateGrainAsync(IGrain grain) => DeactivateGrainAsync(grain.GetGrainId());

    /// <summary>Force-deactivates the grain wherever it is active; true when it was active.</summary>
    public async Task<bool> DeactivateGrainAsync(GrainId grainId)
    {
        var deactivated = false;
        foreach (var silo in Silos)
        {
            deactivated |= await silo.Silo.DeactivateGrainAsync(grainId);
        }

        return deactivated;
    }

    /// <summary>
    /// Waits until the cluster is stable: every running silo is active in the membership view, no stopped silo is,
    /// the directory names only running silos, and each silo's reminder ownership matches the view.
    /// </summary>
    public async Task WaitForStableAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var running = Silos.Select(s => s.Silo.Address).ToHashSet();
            var active = Membership.Current.ActiveSilos.ToHashSet();
            if (running.SetEquals(active))
            {
                foreach (var silo in Silos)
                {
                    await silo.Silo.RefreshRemindersAsync();
                }

                return;
            }

            await Task.Delay(10, cancellation.Token);
        }
    }

    /// <summary>Stops every running silo gracefully.</summary>
    public async Task StopAllSilosAsync()
    {
        foreach (var silo in Silos.Reverse())
        {
            await silo.Silo.StopAsync();
        }
    }

    /// <summary>Stops every silo and releases the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        List<TestSilo> all;
        lock (_lock)
        {
            all = [.. _silos];
            _silos.Clear();
        }

        foreach (var silo in all)
        {
            await silo.Silo.DisposeAsync();
        }
    }

    private void EnsureMember(TestSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        lock (_lock)
        {
            if (!_silos.Contains(silo))
            {
                throw new ArgumentException($"Silo {silo} is not part of this test cluster (or was already replaced by a restart).", nameof(silo));
            }
        }
    }

    private async Task<TestSilo> StartSiloAsync(int index)
    {
        var name = $"silo-{index}";
        var builder = new SiloBuilder()
            .Configure(options => options.SiloName = name)
            .UseCluster(Membership, Directory, Transport);
        foreach (var assembly in _assemblies)
        {
            builder.AddGrainAssembly(assembly);
        }

        if (_sqliteDirectory is null)
        {
            builder.AddGrainStorage("Default", MemoryStorage ?? throw new InvalidOperationException("Deploy the cluster before starting silos."));
            builder.UseReminderTable(MemoryReminders!);
        }
        else
        {
            var directory = _sqliteDirectory;
            builder.AddGrainStorage("Default", services => new SqliteGrainStorage(new SqliteStorageOptions { DataDirectory = directory }, services.GetRequiredService<ILogger<SqliteGrainStorage>>()));
            builder.UseReminderTable(services => new SqliteReminderTable(new SqliteStorageOptions { DataDirectory = directory }, services.GetRequiredService<ILogger<SqliteReminderTable>>()));
        }

        foreach (var configure in _configurations)
        {
            configure(index, builder);
        }

        var silo = builder.Build();
        var testSilo = new TestSilo(index, name, silo);
        await silo.StartAsync();
        lock (_lock)
        {
            _silos.Add(testSilo);
        }

        return testSilo;
    }

    /// <summary>The client side: sends each call through the first running silo.</summary>
    private sealed class ClientRuntime(TestCluster cluster) : HelaMem.Runtime.CodeGeneration.IGrainCallRuntime
    {
        public Task<TResult> InvokeAsync<TResult>(GrainReference target, int methodId, HelaMem.Runtime.CodeGeneration.IGrainCallArguments? arguments, CancellationToken cancellationToken) =>
            Gateway().InvokeAsync<TResult>(target, methodId, arguments, cancellationToken);

        public Task InvokeAsync(GrainReference target, int methodId, HelaMem.Runtime.CodeGeneration.IGrainCallArguments? arguments, CancellationToken cancellationToken) =>
            Gateway().InvokeAsync(target, methodId, arguments, cancellationToken);

        public Task InvokeOneWay(GrainReference target, int methodId, HelaMem.Runtime.CodeGeneration.IGrainCallArguments? arguments) =>
            Gateway().InvokeOneWay(target, methodId, arguments);

        private HelaMem.Runtime.CodeGeneration.IGrainCallRuntime Gateway()
        {
            lock (cluster._lock)
            {
                foreach (var silo in cluster._silos)
                {
                    if (silo.IsRunning)
                    {
                        return silo.Silo.Runtime;
                    }
                }
            }

            throw new SiloUnavailableException("No silo of the test cluster is running; the call cannot enter the cluster.");
        }
    }
}
