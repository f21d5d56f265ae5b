using System.Diagnostics;
using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Filters;
using HelaMem.Runtime.Messaging;

namespace HelaMem.Runtime.Hosting;

/// <summary>
/// The sending side of a silo: turns a proxy call into a <see cref="Message"/> (request context, call chain, deadline,
/// trace parent), registers its timeout and cancellation, runs outgoing filters if any, and hands it to the router.
/// </summary>
internal sealed class SiloCallRuntime(Silo silo) : IGrainCallRuntime
{
    public Task<TResult> InvokeAsync<TResult>(GrainReference target, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken)
    {
        var completion = new ResponseCompletion<TResult>(isVoid: false);
        Send(target.GrainId, target.Invoker, methodId, arguments, completion, cancellationToken);
        return completion.Task;
    }

    public Task InvokeAsync(GrainReference target, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken)
    {
        var completion = new ResponseCompletion<VoidResult>(isVoid: true);
        Send(target.GrainId, target.Invoker, methodId, arguments, completion, cancellationToken);
        return completion.Task;
    }

    public Task InvokeOneWay(GrainReference target, int methodId, IGrainCallArguments? arguments)
    {
        var message = CreateMessage(target.GrainId, target.Invoker, methodId, arguments);
        RuntimeInstrumentation.CallsSent.Add(1);
        silo.Router.Dispatch(message);
        return Task.CompletedTask;
    }

    /// <summary>Sends a runtime-originated request (timer-free: reminders) and returns its completion.</summary>
    public Task InvokeSystemAsync(GrainId target, IGrainMethodInvoker invoker, int methodId, IGrainCallArguments? arguments)
    {
        var completion = new ResponseCompletion<VoidResult>(isVoid: true);
        Send(target, invoker, methodId, arguments, completion, CancellationToken.None);
        return completion.Task;
    }

    private void Send<T>(GrainId target, IGrainMethodInvoker invoker, int methodId, IGrainCallArguments? arguments, ResponseCompletion<T> completion, CancellationToken cancellationToken)
    {
        var message = CreateMessage(target, invoker, methodId, arguments);
        message.Response = completion;
        message.CancellationToken = cancellationToken;
        RuntimeInstrumentation.CallsSent.Add(1);

        var now = Environment.TickCount64;
        var timeoutMs = (long)silo.Options.ResponseTimeout.TotalMilliseconds;
        if (message.Context?.Deadline is { } deadline)
        {
            var remaining = (long)(deadline - silo.Options.TimeProvider.GetUtcNow()).TotalMilliseconds;
            if (remaining <= 0)
            {
                completion.TryFail(new TimeoutException($"{message} was not sent: the request context's deadline {deadline:O} has passed."));
                return;
            }

            timeoutMs = Math.Min(timeoutMs, remaining);
        }

        message.DeadlineTicks = now + timeoutMs;

        Activity? activity = null;
        if (RuntimeInstrumentation.ActivitySource.HasListeners())
        {
            activity = RuntimeInstrumentation.ActivitySource.StartActivity($"{invoker.Descriptor.Name}/{message.MethodName}", ActivityKind.Client);
            if (activity is not null)
            {
                activity.SetTag("rpc.system", "helamem");
                activity.SetTag("helamem.grain_id", target.ToString());
                message.CallerActivity = activity;
            }
        }

        completion.Track(activity, RuntimeInstrumentation.CallDuration.Enabled ? Stopwatch.GetTimestamp() : 0);

        if (cancellationToken.CanBeCanceled)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.Cancel(cancellationToken);
                return;
            }

            completion.RegisterCancellation(message, cancellationToken);
        }

        silo.TimeoutWheel.Add(message);
        if (silo.OutgoingFilters.Length == 0)
        {
            silo.Router.Dispatch(message);
        }
        else
        {
            _ = OutgoingCallContext.RunAsync(silo, message, completion.Task);
        }
    }

    private static Message CreateMessage(GrainId target, IGrainMethodInvoker invoker, int methodId, IGrainCallArguments? arguments)
    {
        var methods = invoker.Descriptor.Methods;
        if ((uint)methodId >= (uint)methods.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(methodId), methodId, $"{invoker.Descriptor.Name} has no method with this id.");
        }

        var message = new Message(target, invoker, methodId, methods[methodId].Flags, arguments)
        {
            Context = RequestContext.Current,
        };

        if (InvocationContext.CurrentActivation is { } current)
        {
            message.Chain = new CallChain(current.GrainId, InvocationContext.CurrentChain);
        }

        return message;
    }

    /// <summary>The result type of methods without a result.</summary>
    internal readonly struct VoidResult;
}
