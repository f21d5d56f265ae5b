using System.Diagnostics;
using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Hosting;
using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Messaging;
using HelaMem.Runtime.Metadata;
using HelaMem.Runtime.Persistence;
using HelaMem.Runtime.Scheduling;
using HelaMem.Runtime.Timers;

namespace HelaMem.Runtime.Activation;

/// <summary>
/// One activation of one grain on one silo: the grain instance, its queue of pending requests, and the turn-based
/// rules that decide which request may start. All bookkeeping happens under a short lock that is never held while
/// grain code runs or awaits.
/// </summary>
internal sealed partial class ActivationData : IGrainContext
{
    private const int MaxStartsPerPump = 32;

    [ThreadStatic]
    private static ActivationData? t_constructing;

    private static readonly Action<object?> PumpCallback = static s => ((ActivationData)s!).Pump();
    private static readonly Action<object?> ActivateCallback = static s => _ = ((ActivationData)s!).ActivateAsync();
    private static readonly Action<object?> DeactivateCallback = static s => _ = ((ActivationData)s!).DeactivateAsync();

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IPersistentStateLifecycle> _states = [];
    private readonly List<GrainTimer> _timers = [];
    private Message? _head;
    private Message? _tail;
    private int _pendingCount;
    private int _runningReadOnly;
    private int _runningOther;
    private ActivationState _state = ActivationState.Activating;
    private bool _pumpScheduled;
    private bool _deactivationQueued;
    private DeactivationReason? _deactivationRequest;
    private long _lastActiveTicks;
    private long _keepAliveUntilTicks;
    private object? _instance;

    public ActivationData(Silo silo, GrainId grainId, GrainClassInfo classInfo)
    {
        Silo = silo;
        GrainId = grainId;
        ClassInfo = classInfo;
        Scheduler = new ActivationScheduler(exception => Log.UnhandledWorkItemException(silo.Logger, exception, grainId));
        _lastActiveTicks = Environment.TickCount64;
    }

    /// <summary>The activation whose grain instance is being constructed on this thread (for the Grain base class).</summary>
    public static ActivationData? Constructing => t_constructing;

    public Silo Silo { get; }

    public GrainId GrainId { get; }

    public GrainClassInfo ClassInfo { get; }

    public ActivationScheduler Scheduler { get; }

    /// <summary>Completes when the activation is gone (deactivated, failed, lost the directory race, or killed).</summary>
    public Task Terminated => _terminated.Task;

    public object? Instance => _instance;

    SiloAddress IGrainContext.Silo => Silo.Address;

    public IGrainFactory GrainFactory => Silo.GrainFactory;

    public IServiceProvider Services => Silo.Services;

    public ActivationState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Starts the activation: directory registration, construction, state reads, OnActivateAsync.</summary>
    public void Start() => Scheduler.Queue(ActivateCallback, this);

    public void AddState(IPersistentStateLifecycle state) => _states.Add(state);

    /// <summary>Queues a request. False when the activation is already gone (the caller routes the request again).</summary>
    public bool TryEnqueue(Message message)
    {
        var schedule = false;
        var limit = Silo.Options.MaxPendingRequestsPerActivation;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            if (_pendingCount < limit)
            {
                message.TargetActivation = this;
                Append(message);
                if (!_pumpScheduled && _state is ActivationState.Valid or ActivationState.Deactivating)
                {
                    _pumpScheduled = true;
                    schedule = true;
                }
            }
            else
            {
                limit = -limit;
            }
        }

        if (limit < 0)
        {
            RuntimeInstrumentation.QueueRejections.Add(1);
            var name = $"{message.Invoker.Descriptor.Name}.{message.MethodName}";
            if (message.Response is null || !message.Response.TryFail(new GrainQueueFullException(GrainId, name, -limit)))
            {
                Log.QueueFull(Silo.Logger, name, -limit);
            }

            return true;
        }

        if (schedule)
        {
            Scheduler.RunOrQueue(PumpCallback, this, Silo.Options.InlineExecution);
        }

        return true;
    }

    /// <summary>Requests deactivation once the running requests have finished.</summary>
    public void StartDeactivation(DeactivationReason reason)
    {
        var schedule = false;
        lock (_lock)
        {
            if (_state == ActivationState.Activating)
            {
                _deactivationRequest ??= reason;
                return;
            }

            if (_state != ActivationState.Valid)
            {
                return;
            }

            _state = ActivationState.Deactivating;
            _deactivationRequest = reason;
            if (_runningOther + _runningReadOnly == 0 && !_deactivationQueued)
            {
                _deactivationQueued = true;
                schedule = true;
            }
        }

        if (schedule)
        {
            Scheduler.Queue(DeactivateCallback, this);
        }
    }

    public void DeactivateOnIdle() => StartDeactivation(DeactivationReason.ApplicationRequested);

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        var until = Environment.TickCount64 + (long)timeSpan.TotalMilliseconds;
        lock (_lock)
        {
            _keepAliveUntilTicks = Math.Max(_keepAliveUntilTicks, until);
        }
    }

    /// <summary>Whether the activation has had no request for <paramref name="ageLimit"/> and may be collected.</summary>
    public bool IsIdleFor(long nowTicks, TimeSpan ageLimit)
    {
        lock (_lock)
        {
            return _state == ActivationState.Valid
                && _runningOther + _runningReadOnly == 0
                && _pendingCount == 0
                && nowTicks >= _keepAliveUntilTicks
                && nowTicks - _lastActiveTicks >= (long)ageLimit.TotalMilliseconds;
        }
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, GrainTimerOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, options);
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                throw new InvalidOperationException($"Grain {GrainId} is deactivating; it cannot register timers.");
            }

            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>Drops the activation without deactivation (the silo was killed); queued requests fail.</summary>
    public void Kill()
    {
        Message? pending;
        bool wasActive;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid)
            {
                return;
            }

            wasActive = _state is ActivationState.Valid or ActivationState.Deactivating;
            _state = ActivationState.Invalid;
            pending = DetachPending();
        }

        DisposeTimers();
        for (var message = pending; message is not null;)
        {
            var next = message.NextPending;
            message.NextPending = null;
            message.Response?.TryFail(new SiloUnavailableException($"Silo {Silo.Address} was killed before it ran {message}."));
            message = next;
        }

        if (wasActive)
        {
            RuntimeInstrumentation.ActivationsActive.Add(-1);
        }

        _terminated.TrySetResult();
    }

    private void Pump()
    {
        for (var started = 0; ; started++)
        {
            Message? message;
            lock (_lock)
            {
                if (started == MaxStartsPerPump)
                {
                    // Yield to continuations already queued on this activation; the flag stays set.
                    break;
                }

                message = FindStartable();
                if (message is null)
                {
                    _pumpScheduled = false;
                    return;
                }

                Unlink(message);
                if ((message.Flags & GrainCallBehavior.ReadOnly) != 0)
                {
                    _runningReadOnly++;
                }
                else
                {
                    _runningOther++;
                }
            }

            Run(message);
        }

        Scheduler.Queue(PumpCallback, this);
    }

    private Message? FindStartable()
    {
        var running = _runningOther + _runningReadOnly;
        if (_state == ActivationState.Valid)
        {
            if (running == 0 || ClassInfo.IsReentrant)
            {
                return _head;
            }

            for (var message = _head; message is not null; message = message.NextPending)
            {
                if ((message.Flags & GrainCallBehavior.AlwaysInterleave) != 0
                    || ((message.Flags & GrainCallBehavior.ReadOnly) != 0 && _runningOther == 0)
                    || (message.Chain is { } chain && chain.Contains(GrainId)))
                {
                    return message;
                }
            }

            return null;
        }

        if (_state == ActivationState.Deactivating && running > 0)
        {
            // Only requests the running ones wait for may still start: anything else would delay deactivation forever.
            for (var message = _head; message is not null; message = message.NextPending)
            {
                if ((message.Flags & GrainCallBehavior.AlwaysInterleave) != 0 || (message.Chain is { } chain && chain.Contains(GrainId)))
                {
                    return message;
                }
            }
        }

        return null;
    }

    private void Run(Message message)
    {
        if (!message.TryStart())
        {
            Finished(message, null);
            return;
        }

        if (message.DeadlineTicks != long.MaxValue && Environment.TickCount64 >= message.DeadlineTicks)
        {
            message.Response?.TryFail(new TimeoutException($"{message} expired in the queue of its activation before it could start."));
            Finished(message, null);
            return;
        }

        var previousRequestContext = RequestContext.Current;
        var previousActivity = Activity.Current;
        if (message.Context is not null || previousRequestContext is not null)
        {
            RequestContext.Current = message.Context;
        }

        InvocationContext.Enter(message);
        if (RuntimeInstrumentation.ActivitySource.HasListeners())
        {
            message.ServerActivity = StartServerActivity(message);
        }

        Task task;
        try
        {
            task = Silo.IncomingFilters.Length == 0
                ? message.Invoker.Invoke(_instance!, message.MethodId, message.Arguments, message.CancellationToken)
                : Filters.IncomingCallContext.Run(this, message);
        }
        catch (Exception exception)
        {
            task = Task.FromException(exception);
        }
        finally
        {
            InvocationContext.Clear();
            RequestContext.Current = previousRequestContext;
            Activity.Current = previousActivity;
        }

        if (task.IsCompleted)
        {
            Finished(message, task);
        }
        else
        {
            message.FinishWhenCompleted(task);
        }
    }

    private Activity? StartServerActivity(Message message)
    {
        var activity = RuntimeInstrumentation.ActivitySource.StartActivity($"{message.Invoker.Descriptor.Name}/{message.MethodName}", ActivityKind.Server, message.TraceParent);
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "helamem");
            activity.SetTag("helamem.grain_id", GrainId.ToString());
            activity.SetTag("helamem.silo", Silo.Address.ToString());
            if (message.Context?.TraceId is { } traceId)
            {
                activity.SetTag("helamem.trace_id", traceId);
            }

            if (message.Context?.Tenant is { } tenant)
            {
                activity.SetTag("helamem.tenant", tenant);
            }
        }

        return activity;
    }

    /// <summary>Ends a request: bookkeeping, response, and the next start or the pending deactivation.</summary>
    internal void Finished(Message message, Task? outcome)
    {
        var schedulePump = false;
        var scheduleDeactivation = false;
        lock (_lock)
        {
            if ((message.Flags & GrainCallBehavior.ReadOnly) != 0)
            {
                _runningReadOnly--;
            }
            else
            {
                _runningOther--;
            }

            if (message.CountsAsActivity)
            {
                _lastActiveTicks = Environment.TickCount64;
            }

            if (_pendingCount > 0 && !_pumpScheduled && _state is ActivationState.Valid or ActivationState.Deactivating)
            {
                _pumpScheduled = true;
                schedulePump = true;
            }

            if (_state == ActivationState.Deactivating && _runningOther + _runningReadOnly == 0 && !_deactivationQueued)
            {
                _deactivationQueued = true;
                scheduleDeactivation = true;
            }
        }

        if (outcome is { IsCompletedSuccessfully: true } && message.GrainTask is { } grainTask)
        {
            outcome = grainTask;
        }

        if (message.ServerActivity is { } activity)
        {
            if (outcome is { IsFaulted: true })
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome.Exception!.InnerException!.Message);
            }

            activity.Dispose();
        }

        if (outcome is not null)
        {
            if (message.Response is { } response)
            {
                response.Complete(outcome);
            }
            else if (outcome.IsFaulted)
            {
                Log.OneWayCallFailed(Silo.Logger, outcome.Exception!.InnerException!, message.ToString());
            }
        }

        if (schedulePump)
        {
            Scheduler.Queue(PumpCallback, this);
        }

        if (scheduleDeactivation)
        {
            Scheduler.Queue(DeactivateCallback, this);
        }
    }

    private void Append(Message message)
    {
        message.PreviousPending = _tail;
        message.NextPending = null;
        if (_tail is null)
        {
            _head = message;
        }
        else
        {
            _tail.NextPending = message;
        }

        _tail = message;
        _pendingCount++;
    }

    private void Unlink(Message message)
    {
        if (message.PreviousPending is null)
        {
            _head = message.NextPending;
        }
        else
        {
            message.PreviousPending.NextPending = message.NextPending;
        }

        if (message.NextPending is null)
        {
            _tail = message.PreviousPending;
        }
        else
        {
            message.NextPending.PreviousPending = message.PreviousPending;
        }

        message.NextPending = null;
        message.PreviousPending = null;
        _pendingCount--;
    }

    // Hands the whole pending list to the caller (linked through NextPending) and empties the queue.
    private Message? DetachPending()
    {
        var head = _head;
        _head = null;
        _tail = null;
        _pendingCount = 0;
        return head;
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }
}
