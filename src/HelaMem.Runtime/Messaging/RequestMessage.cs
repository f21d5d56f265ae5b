using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace HelaMem.Runtime.Messaging;

/// <summary>
/// A request that expects a response, and the caller's side of it in the same object: the task the caller awaits is
/// completed directly by the callee (in-process), by the response-timeout wheel, or by the caller's cancellation token.
/// One object per call instead of a message plus a task completion source.
/// </summary>
/// <remarks>
/// Completion runs continuations inline (no thread-pool hop per response) but with no synchronization context on
/// the thread: a grain caller's await continuation therefore posts itself to the caller's own activation, and a
/// non-grain caller's continuation runs like any thread-pool continuation, never inside the callee's context.
/// </remarks>
internal sealed class RequestMessage<T> : Message, IResponseSink
{
    // A mutable struct completed in place: never copy it. It owns the caller's Task<T>, created before the request can
    // be completed by another thread (see the constructor).
    private AsyncTaskMethodBuilder<T> _builder;
    private CancellationTokenRegistration _cancellation;
    private long _startTimestamp;
    private int _claimed;

    public RequestMessage(GrainId target, CodeGeneration.IGrainMethodInvoker invoker, int methodId, CodeGeneration.GrainCallBehavior flags, CodeGeneration.IGrainCallArguments? arguments)
        : base(target, invoker, methodId, flags, arguments)
    {
        _builder = AsyncTaskMethodBuilder<T>.Create();
        Task = _builder.Task;
        Response = this;
    }

    // Methods without a result complete a Task<VoidResult>; a constant per instantiation (no field per message).
    private static bool IsVoid => typeof(T) == typeof(Hosting.SiloCallRuntime.VoidResult);

    /// <summary>The task the caller awaits.</summary>
    public Task<T> Task { get; }

    public bool IsCompleted => Volatile.Read(ref _claimed) != 0;

    // The caller's span (if any) is CallerActivity; only the start of the duration measurement is kept here.
    public void Track(long startTimestamp)
    {
        _startTimestamp = startTimestamp;
    }

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var message = (RequestMessage<T>)state!;
            message.TryCancel();
            message.Cancel(token);
        }, this);
    }

    public void Complete(Task completedTask)
    {
        if (!Claim())
        {
            return;
        }

        if (completedTask.IsCompletedSuccessfully)
        {
            Finish(null);
            var context = LeaveContext();
            _builder.SetResult(IsVoid ? default! : ((Task<T>)completedTask).Result);
            RestoreContext(context);
            return;
        }

        if (completedTask.IsFaulted)
        {
            var exceptions = completedTask.Exception!.InnerExceptions;
            Exception error = exceptions.Count == 1 ? exceptions[0] : completedTask.Exception;
            Finish(error);
            SetFailed(error);
        }
        else
        {
            var cancelled = new TaskCanceledException(completedTask);
            Finish(cancelled);
            SetFailed(cancelled);
        }
    }

    public bool TryFail(Exception exception)
    {
        if (!Claim())
        {
            return false;
        }

        Finish(exception);
        SetFailed(exception);
        return true;
    }

    public void Cancel(CancellationToken token)
    {
        if (!Claim())
        {
            return;
        }

        // The same exception type a cancelled TaskCompletionSource would give the awaiting caller.
        var cancelled = new TaskCanceledException(null, null, token);
        Finish(cancelled);
        SetFailed(cancelled);
    }

    // An OperationCanceledException cancels the caller's task (with that exception); anything else faults it.
    private void SetFailed(Exception error)
    {
        var context = LeaveContext();
        _builder.SetException(error);
        RestoreContext(context);
    }

    // Exactly one outcome wins; metrics and spans are closed before the caller's continuation can observe it.
    private bool Claim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    private static SynchronizationContext? LeaveContext()
    {
        var context = SynchronizationContext.Current;
        if (context is not null)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        return context;
    }

    private static void RestoreContext(SynchronizationContext? context)
    {
        if (context is not null)
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void Finish(Exception? error)
    {
        // Out of the timeout wheel now, so that the completed call does not stay reachable until its deadline.
        ResponseTimeoutWheel.Remove(this);
        _cancellation.Dispose();
        if (_startTimestamp != 0)
        {
            RuntimeInstrumentation.CallDuration.Record(Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds);
        }

        if (CallerActivity is { } activity)
        {
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                activity.SetTag("exception.type", error.GetType().FullName);
            }

            activity.Dispose();
        }
    }
}
