using System.Diagnostics;

namespace HelaMem.Runtime.Messaging;

/// <summary>
/// The caller's side of a request: a task completion source that the callee completes directly (in-process), the
/// response-timeout wheel fails, or the caller's cancellation token cancels.
/// </summary>
/// <remarks>
/// Completion runs continuations inline (no thread-pool hop per response) but with no synchronization context on
/// the thread: a grain caller's await continuation therefore posts itself to the caller's own activation, and a
/// non-grain caller's continuation runs like any thread-pool continuation, never inside the callee's context.
/// </remarks>
internal sealed class ResponseCompletion<T> : TaskCompletionSource<T>, IResponseSink
{
    private readonly bool _isVoid;
    private CancellationTokenRegistration _cancellation;
    private Activity? _activity;
    private long _startTimestamp;
    private int _claimed;

    public ResponseCompletion(bool isVoid)
    {
        _isVoid = isVoid;
    }

    public bool IsCompleted => Volatile.Read(ref _claimed) != 0;

    public void Track(Activity? activity, long startTimestamp)
    {
        _activity = activity;
        _startTimestamp = startTimestamp;
    }

    public void RegisterCancellation(Message message, CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var message = (Message)state!;
            message.TryCancel();
            ((ResponseCompletion<T>)message.Response!).Cancel(token);
        }, message);
    }

    public void Complete(Task completedTask)
    {
        if (!Claim())
        {
            return;
        }

        Finish(completedTask.IsCompletedSuccessfully ? null : completedTask.Exception?.InnerException ?? new OperationCanceledException());
        var context = LeaveContext();
        if (completedTask.IsFaulted)
        {
            var exceptions = completedTask.Exception!.InnerExceptions;
            TrySetException(exceptions.Count == 1 ? exceptions[0] : completedTask.Exception);
        }
        else if (completedTask.IsCanceled)
        {
            TrySetCanceled();
        }
        else
        {
            TrySetResult(_isVoid ? default! : ((Task<T>)completedTask).Result);
        }

        RestoreContext(context);
    }

    public bool TryFail(Exception exception)
    {
        if (!Claim())
        {
            return false;
        }

        Finish(exception);
        var context = LeaveContext();
        TrySetException(exception);
        RestoreContext(context);
        return true;
    }

    public void Cancel(CancellationToken token)
    {
        if (!Claim())
        {
            return;
        }

        Finish(new OperationCanceledException(token));
        var context = LeaveContext();
        TrySetCanceled(token);
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
        _cancellation.Dispose();
        if (_startTimestamp != 0)
        {
            RuntimeInstrumentation.CallDuration.Record(Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds);
        }

        if (_activity is { } activity)
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
