using HelaMem.Runtime.Activation;
using HelaMem.Runtime.Filters;
using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Messaging;
using HelaMem.Runtime.Metadata;
using HelaMem.Runtime.Placement;
using HelaMem.Runtime.Reminders;
using HelaMem.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelaMem.Runtime.Hosting;

/// <summary>
/// A silo: hosts activations, routes requests, runs reminders and idle collection. Build one with
/// <see cref="SiloBuilder"/>; several silos in one process form a cluster when they share membership, directory
/// and transport.
/// </summary>
public sealed class Silo : IAsyncDisposable
{
    private static long s_generation = DateTime.UtcNow.Ticks;

    private readonly ServiceProvider _services;
    private readonly IdleCollector _idleCollector;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private volatile SiloStatus _status = SiloStatus.Joining;
    private bool _started;
    private bool _disposed;

    internal Silo(SiloOptions options, ServiceProvider services, GrainTypeRegistry registry)
    {
        Options = options;
        _services = services;
        Registry = registry;
        Address = new SiloAddress(options.SiloName, Interlocked.Increment(ref s_generation));
        Logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Runtime.Silo");
        Membership = services.GetRequiredService<IClusterMembership>();
        Directory = services.GetRequiredService<IGrainDirectory>();
        Transport = services.GetRequiredService<IMessageTransport>();
        Placement = services.GetRequiredService<IPlacementDirector>();
        IncomingFilters = [.. services.GetServices<IIncomingGrainCallFilter>()];
        OutgoingFilters = [.. services.GetServices<IOutgoingGrainCallFilter>()];
        Catalog = new Catalog(this);
        Router = new MessageRouter(this);
        CallRuntime = new SiloCallRuntime(this);
        GrainFactory = new GrainFactory(registry, CallRuntime);
        Reminders = new ReminderService(this, services.GetService<Reminders.IReminderTable>());
        TimeoutWheel = new ResponseTimeoutWheel(options.ResponseTimeoutGranularity, options.TimeProvider);
        _idleCollector = new IdleCollector(this);
    }

    /// <summary>This silo's address (endpoint and generation).</summary>
    public SiloAddress Address { get; }

    /// <summary>The silo's settings (do not change them after start).</summary>
    public SiloOptions Options { get; }

    /// <summary>The silo's services (storage providers, user services, logging).</summary>
    public IServiceProvider Services => _services;

    /// <summary>A grain factory whose calls enter the cluster through this silo.</summary>
    public IGrainFactory GrainFactory { get; }

    /// <summary>The silo's status.</summary>
    public SiloStatus Status => _status;

    /// <summary>How many activations the silo holds.</summary>
    public int ActivationCount => Catalog.Count;

    /// <summary>The grains active on this silo.</summary>
    public IReadOnlyList<GrainId> ActiveGrains => [.. Catalog.Activations.Select(a => a.GrainId)];

    /// <summary>How many reminders this silo runs timers for (those whose grains it owns).</summary>
    public int LocalReminderCount => Reminders.LocalCount;

    internal GrainTypeRegistry Registry { get; }

    internal ILogger Logger { get; }

    internal IClusterMembership Membership { get; }

    internal IGrainDirectory Directory { get; }

    internal IMessageTransport Transport { get; }

    internal IPlacementDirector Placement { get; }

    internal IIncomingGrainCallFilter[] IncomingFilters { get; }

    internal IOutgoingGrainCallFilter[] OutgoingFilters { get; }

    internal Catalog Catalog { get; }

    internal MessageRouter Router { get; }

    internal SiloCallRuntime CallRuntime { get; }

    internal CodeGeneration.IGrainCallRuntime Runtime => CallRuntime;

    internal ReminderService Reminders { get; }

    internal ResponseTimeoutWheel TimeoutWheel { get; }

    internal bool IsStopping => _status is SiloStatus.ShuttingDown or SiloStatus.Dead;

    /// <summary>Joins the cluster and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException($"Silo {Address} was already started; build a new silo to start again.");
            }

            _started = true;
            await SetStatusAsync(SiloStatus.Joining, cancellationToken);
            Transport.Register(Address, Router);
            await SetStatusAsync(SiloStatus.Active, cancellationToken);
            await Reminders.StartAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Graceful shutdown: stops accepting new activations (requests for grains not active here go to other silos or
    /// fail), deactivates every activation (running OnDeactivateAsync, where grains flush their state), leaves the
    /// cluster and disposes the silo's services (so storage providers flush and close).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_disposed || _status == SiloStatus.Dead)
            {
                return;
            }

            await SetStatusAsync(SiloStatus.ShuttingDown, cancellationToken);
            Reminders.StopAll();
            _idleCollector.Dispose();
            for (var round = 0; round < 10 && Catalog.Count > 0; round++)
            {
                var activations = Catalog.Activations.ToList();
                foreach (var activation in activations)
                {
                    activation.StartDeactivation(DeactivationReason.SiloShutdown);
                }

                await Task.WhenAll(activations.Select(a => a.Terminated)).WaitAsync(cancellationToken);
            }

            await LeaveAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Abrupt failure, as if the process died: no deactivation hooks run, queued requests fail, the silo is declared
    /// dead and its directory entries vanish; its grains re-activate elsewhere (from stored state) on their next call.
    /// </summary>
    public async Task KillAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed || _status == SiloStatus.Dead)
            {
                return;
            }

            _status = SiloStatus.Dead;
            Transport.Unregister(Address);
            Reminders.StopAll();
            _idleCollector.Dispose();
            var activations = Catalog.Activations.ToList();
            foreach (var activation in activations)
            {
                Catalog.Remove(activation);
                activation.Kill();
            }

            Log.SiloKilled(Logger, Address, activations.Count);
            await LeaveAsync(CancellationToken.None);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Deactivates <paramref name="grainId"/> if it is active here (after its running requests); true when it was.</summary>
    public async Task<bool> DeactivateGrainAsync(GrainId grainId)
    {
        if (!Catalog.TryGet(grainId, out var activation))
        {
            return false;
        }

        activation.StartDeactivation(DeactivationReason.Forced);
        await activation.Terminated;
        return true;
    }

    /// <summary>Re-reads the reminder table now and adjusts which reminders this silo runs.</summary>
    public Task RefreshRemindersAsync() => Reminders.RefreshAsync();

    /// <summary>Runs one idle-collection sweep now; returns how many activations it started deactivating.</summary>
    public int CollectIdleActivations() => _idleCollector.Sweep();

    /// <summary>Stops the silo gracefully if it is still running, then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        // The silo is itself a service of its container, which disposes it again while the silo disposes the container.
        if (_disposed)
        {
            return;
        }

        if (_status != SiloStatus.Dead && _started)
        {
            await StopAsync();
        }

        await _lifecycle.WaitAsync();
        try
        {
            if (!_disposed)
            {
                await DisposeResourcesAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }

    }

    internal IGrainStorage GetGrainStorage(string? name)
    {
        var storageName = name ?? "Default";
        return _services.GetKeyedService<IGrainStorage>(storageName)
            ?? throw new InvalidOperationException($"No grain storage named '{storageName}' is configured on silo {Address}; add one with SiloBuilder.AddGrainStorage(\"{storageName}\", ...).");
    }

    private async Task LeaveAsync(CancellationToken cancellationToken)
    {
        await SetStatusAsync(SiloStatus.Dead, cancellationToken);
        Transport.Unregister(Address);
        await Directory.UnregisterSiloAsync(Address, cancellationToken);
        await DisposeResourcesAsync();
    }

    private async Task DisposeResourcesAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        TimeoutWheel.Dispose();
        _idleCollector.Dispose();
        await Reminders.DisposeAsync();
        await _services.DisposeAsync();
    }

    private async Task SetStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        _status = status;
        await Membership.UpdateStatusAsync(Address, status, cancellationToken);
        Log.SiloStatusChanged(Logger, Address, status);
    }
}
