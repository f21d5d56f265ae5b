using System.Diagnostics;

namespace HelaMem.Runtime.Messaging;

/// <summary>
/// The caller's side of a request: a task completion source that the callee completes directly (in-process), the
/// response-timeout wheel fails, or the caller's cancellation token cancels. Continuations run asynchronously so a
/// caller never runs inside the callee's turn.
/// </summary>
internal sealed class ResponseCompletion<T> : TaskCompletionSource<T>, IResponseSink
{
    private readonly bool _isVoid;
    private CancellationTokenRegistration _cancellation;
    private Activity? _activity;
    private long _startTimestamp;

    public ResponseCompletion(bool isVoid)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _isVoid = isVoid;
    }

    public bool IsCompleted => Task.IsCompleted;

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
        bool completed;
        if (completedTask.IsFaulted)
        {
            var exceptions = completedTask.Exception!.InnerExceptions;
            completed = TrySetException(exceptions.Count == 1 ? exceptions[0] : completedTask.Exception);
        }
        else if (completedTask.IsCanceled)
        {
            completed = TrySetCanceled();
        }
        else
        {
            completed = TrySetResult(_isVoid ? default! : ((Task<T>)completedTask).Result);
        }

        if (completed)
        {
            Finish(completedTask.IsCompletedSuccessfully ? null : completedTask.Exception?.InnerException ?? new OperationCanceledException());
        }
    }

    public bool TryFail(Exception exception)
    {
        if (!TrySetException(exception))
        {
            return false;
        }

        Finish(exception);
        return true;
    }

    private void Cancel(CancellationToken token)
    {
        if (TrySetCanceled(token))
        {
            Finish(new OperationCanceledException(token));
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
