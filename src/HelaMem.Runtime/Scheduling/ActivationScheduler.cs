using System.Collections.Concurrent;

namespace HelaMem.Runtime.Scheduling;

/// <summary>
/// The per-activation work queue. Work items (request starts, await continuations, timer ticks) run one at a time
/// on the .NET thread pool; while one runs, the thread's synchronization context is the activation's, so every
/// <c>await</c> in grain code posts its continuation back here. Hence grain code never runs on two threads at once,
/// and a turn never holds a thread while it waits.
/// </summary>
/// <remarks>
/// The "scheduled" flag guarantees at most one drainer per activation. A drain runs a bounded batch and then yields
/// the thread, so one busy activation cannot starve the others. When an idle activation receives work from a thread
/// that is not too deep in nested inline drains, the caller's thread drains it on the spot (under the same flag, with
/// the activation's context and a clean execution context) instead of paying a thread-pool hop: the turn rules are
/// unchanged, only the thread differs.
/// </remarks>
internal sealed class ActivationScheduler : IThreadPoolWorkItem
{
    private const int BatchSize = 64;
    private const int MaxInlineDepth = 2;

    // The execution context of a thread-pool work item that flows nothing: inline drains run under it so the
    // caller's async-locals never leak into grain code.
    private static readonly ExecutionContext CleanExecutionContext = CaptureCleanExecutionContext();

    [ThreadStatic]
    private static ActivationScheduler? t_current;

    [ThreadStatic]
    private static int t_inlineDepth;

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

    /// <summary>
    /// Runs <paramref name="callback"/> on the calling thread if the activation is idle (and the thread is not nested
    /// too deeply in inline drains), then drains what else is queued; otherwise queues it like <see cref="Queue"/>.
    /// </summary>
    public void RunOrQueue(Action<object?> callback, object? state, bool allowInline)
    {
        if (!allowInline || t_inlineDepth >= MaxInlineDepth || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
        {
            Queue(callback, state);
            return;
        }

        // This thread now owns the activation, exactly as a thread-pool drain would. With nothing queued before it,
        // the work item runs first without a trip through the queue; otherwise it runs after what is queued.
        var first = new WorkItem(callback, state);
        if (!_queue.IsEmpty)
        {
            _queue.Enqueue(first);
            first = default;
        }

        var callerContext = ExecutionContext.Capture();
        var callerCurrent = t_current;
        t_inlineDepth++;
        try
        {
            ExecutionContext.Restore(CleanExecutionContext);
            Execute(first);
        }
        finally
        {
            t_inlineDepth--;
            t_current = callerCurrent;
            if (callerContext is not null)
            {
                ExecutionContext.Restore(callerContext);
            }
        }
    }

    /// <inheritdoc />
    public void Execute() => Execute(default);

    // Runs first (when given) and then a batch from the queue; the caller owns the "scheduled" flag.
    private void Execute(WorkItem first)
    {
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_context);
        t_current = this;
        try
        {
            var i = 0;
            if (first.Callback is not null)
            {
                Run(first);
                i++;
            }

            for (; i < BatchSize && _queue.TryDequeue(out var item); i++)
            {
                Run(item);
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

    private void Run(WorkItem item)
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

    // A thread started without flowing the starter's context has the default (empty) execution context.
    private static ExecutionContext CaptureCleanExecutionContext()
    {
        ExecutionContext? clean = null;
        var thread = new Thread(() => clean = ExecutionContext.Capture());
        thread.UnsafeStart();
        thread.Join();
        return clean ?? throw new InvalidOperationException("A new thread reported no execution context.");
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
