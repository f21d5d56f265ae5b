using System.Collections.Concurrent;

namespace HelaMem.Runtime.Scheduling;

/// <summary>
/// The per-activation work queue. Work items (request starts, await continuations, timer ticks) run one at a time
/// on the .NET thread pool; while one runs, the thread's synchronization context is the activation's, so every
/// <c>await</c> in grain code posts its continuation back here. Hence grain code never runs on two threads at once,
/// and a turn never holds a thread while it waits.
/// </summary>
/// <remarks>
/// The "scheduled" flag guarantees at most one thread-pool item per activation. A drain runs a bounded batch and
/// then yields the thread, so one busy activation cannot starve the others.
/// </remarks>
internal sealed class ActivationScheduler : IThreadPoolWorkItem
{
    private const int BatchSize = 64;

    [ThreadStatic]
    private static ActivationScheduler? t_current;

    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly ActivationSynchronizationContext _context;
    private readonly Action<Exception> _onUnhandled;
    private int _scheduled;

    public ActivationScheduler(Action<Exception> onUnhandled)
    {
        _context = new ActivationSynchronizationContext(this);
        _onUnhandled = onUnhandled;
    }

    /// <summary>Whether the calling thread is currently running a work item of this scheduler.</summary>
    public bool IsCurrent => ReferenceEquals(t_current, this);

    /// <summary>Queues <paramref name="callback"/> to run as one work item of this activation.</summary>
    public void Queue(Action<object?> callback, object? state) => Enqueue(new WorkItem(callback, state));

    private void Enqueue(WorkItem item)
    {
        _queue.Enqueue(item);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <inheritdoc />
    public void Execute()
    {
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_context);
        t_current = this;
        try
        {
            for (var i = 0; i < BatchSize && _queue.TryDequeue(out var item); i++)
            {
                try
                {
                    if (item.Callback is Action<object?> action)
                    {
                        action(item.State);
                    }
                    else
                    {
                        ((SendOrPostCallback)item.Callback)(item.State);
                    }
                }
                catch (Exception exception)
                {
                    _onUnhandled(exception);
                }
            }
        }
        finally
        {
            t_current = null;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }

        Volatile.Write(ref _scheduled, 0);
        if (!_queue.IsEmpty && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    // The callback is an Action<object?> (runtime work) or a SendOrPostCallback (await continuations); keeping
    // either as is avoids wrapping every continuation in an extra object.
    private readonly record struct WorkItem(Delegate Callback, object? State);

    /// <summary>Posts await continuations of grain code back to the activation.</summary>
    private sealed class ActivationSynchronizationContext(ActivationScheduler scheduler) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => scheduler.Enqueue(new WorkItem(d, state));

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (!scheduler.IsCurrent)
            {
                throw new NotSupportedException("Synchronous Send into a grain activation from another thread would block a thread-pool thread on the activation's turn; use an asynchronous call instead.");
            }

            d(state);
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}
