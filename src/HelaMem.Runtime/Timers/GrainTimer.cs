using HelaMem.Runtime.Activation;
using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Messaging;

namespace HelaMem.Runtime.Timers;

/// <summary>A grain timer: stop it by disposing it; it also stops when the activation deactivates.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Reschedules the timer: next tick after <paramref name="dueTime"/>, then every <paramref name="period"/> (InfiniteTimeSpan: once).</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}

/// <summary>How a grain timer's ticks are scheduled.</summary>
public sealed record GrainTimerOptions
{
    /// <summary>The defaults: ticks wait their turn like requests and do not keep the activation alive.</summary>
    public static GrainTimerOptions Default { get; } = new();

    /// <summary>Ticks run even while a request is running (interleaved), like an [AlwaysInterleave] method.</summary>
    public bool Interleave { get; init; }

    /// <summary>Ticks count as activity, so a ticking activation is never idle-collected.</summary>
    public bool KeepAlive { get; init; }
}

/// <summary>
/// A timer whose ticks are requests queued on the activation, so the callback obeys the turn rules. The next tick is
/// scheduled only after the previous one finished, so ticks never overlap.
/// </summary>
internal sealed class GrainTimer : IGrainTimer, IResponseSink, IGrainCallArguments
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly GrainTimerOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _timer;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, GrainTimerOptions options)
    {
        _activation = activation;
        _callback = callback;
        _options = options;
        _timer = activation.Silo.Options.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    bool IResponseSink.IsCompleted => false;

    int IGrainCallArguments.Count => 0;

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A timer's due time must not be negative.");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A timer's period must be positive (or InfiniteTimeSpan for one tick).");
        }

        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        _period = period;
        _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    object? IGrainCallArguments.GetArgument(int index) => throw new ArgumentOutOfRangeException(nameof(index));

    void IResponseSink.Complete(Task completedTask)
    {
        if (completedTask.IsFaulted)
        {
            Log.TimerCallbackFailed(_activation.Silo.Logger, completedTask.Exception!.InnerException!, _activation.GrainId);
        }

        ScheduleNext();
    }

    bool IResponseSink.TryFail(Exception exception)
    {
        Log.TimerCallbackFailed(_activation.Silo.Logger, exception, _activation.GrainId);
        ScheduleNext();
        return true;
    }

    internal Task RunCallback()
    {
        RuntimeInstrumentation.TimerTicks.Add(1);
        return _disposed.IsCancellationRequested ? Task.CompletedTask : _callback(_disposed.Token);
    }

    private void OnDue()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        var flags = _options.Interleave ? GrainCallBehavior.AlwaysInterleave : GrainCallBehavior.None;
        var message = new Message(_activation.GrainId, TimerInvoker.Instance, 0, flags, this)
        {
            Response = this,
            CountsAsActivity = _options.KeepAlive,
        };
        if (!_activation.TryEnqueue(message))
        {
            Dispose();
        }
    }

    private void ScheduleNext()
    {
        if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan)
        {
            try
            {
                _timer.Change(_period, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed concurrently: no next tick.
            }
        }
    }

    /// <summary>The invoker of timer ticks: its one "method" runs the timer's callback.</summary>
    private sealed class TimerInvoker : IGrainMethodInvoker
    {
        public static readonly TimerInvoker Instance = new();

        public GrainInterfaceDescriptor Descriptor { get; } = new(typeof(IGrainTimer), "GrainTimer", [new GrainMethodDescriptor("Tick", GrainCallBehavior.None)]);

        public Task Invoke(object grain, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken) =>
            ((GrainTimer)arguments!).RunCallback();
    }
}
