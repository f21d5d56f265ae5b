using HelaMem.Runtime.Activation;
using HelaMem.Runtime.Timers;

namespace HelaMem.Runtime;

/// <summary>
/// Base class of grain classes: identity, lifecycle hooks, timers, reminders and deactivation control. Instances
/// are created by the runtime only (constructor injection of services and <see cref="IPersistentState{TState}"/>).
/// </summary>
public abstract class Grain
{
    private readonly ActivationData _activation;

    /// <summary>Binds the instance to the activation the runtime is constructing.</summary>
    protected Grain()
    {
        _activation = ActivationData.Constructing
            ?? throw new InvalidOperationException($"{GetType().Name} is a grain class: the runtime creates its instances. Use IGrainFactory.GetGrain to obtain a reference.");
    }

    /// <summary>The grain's identity.</summary>
    public GrainId GrainId => _activation.GrainId;

    /// <summary>The grain's key.</summary>
    public string GrainKey => _activation.GrainId.Key;

    /// <summary>The grain's activation context.</summary>
    public IGrainContext GrainContext => _activation;

    /// <summary>A grain factory for calls to other grains.</summary>
    protected IGrainFactory GrainFactory => _activation.GrainFactory;

    /// <summary>Called once before the first request, after persistent state was read.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once after the last request, before the activation is removed (not called when a silo is killed).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once its current requests have finished.</summary>
    protected void DeactivateOnIdle() => _activation.DeactivateOnIdle();

    /// <summary>Keeps idle collection away for at least <paramref name="timeSpan"/>.</summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => _activation.DelayDeactivation(timeSpan);

    /// <summary>
    /// Registers a timer whose callback runs as a turn of this activation (never concurrently with a request unless
    /// <see cref="GrainTimerOptions.Interleave"/>), first after <paramref name="dueTime"/> and then every
    /// <paramref name="period"/> after the previous tick finished. Timers live as long as the activation.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, GrainTimerOptions? options = null) =>
        _activation.RegisterTimer(callback, dueTime, period, options ?? GrainTimerOptions.Default);

    /// <summary>Registers or updates a durable reminder of this grain; the grain must implement <see cref="IRemindable"/>.</summary>
    protected Task<GrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        _activation.Silo.Reminders.RegisterOrUpdateAsync(GrainId, reminderName, dueTime, period);

    /// <summary>Removes a durable reminder of this grain; false when it did not exist.</summary>
    protected Task<bool> UnregisterReminder(string reminderName) => _activation.Silo.Reminders.UnregisterAsync(GrainId, reminderName);

    /// <summary>A durable reminder of this grain, or null.</summary>
    protected Task<GrainReminder?> GetReminder(string reminderName) => _activation.Silo.Reminders.GetAsync(GrainId, reminderName);
}
