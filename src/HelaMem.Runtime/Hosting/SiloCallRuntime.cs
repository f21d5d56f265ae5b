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
        var message = new RequestMessage<TResult>(target.GrainId, target.Invoker, methodId, Flags(target.Invoker, methodId), arguments);
        Send(message, cancellationToken);
        return message.Task;
    }

    public Task InvokeAsync(GrainReference target, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken)
    {
        var message = new RequestMessage<VoidResult>(target.GrainId, target.Invoker, methodId, Flags(target.Invoker, methodId), arguments);
        Send(message, cancellationToken);
        return message.Task;
    }

    public Task InvokeOneWay(GrainReference target, int methodId, IGrainCallArguments? arguments)
    {
        var message = new Message(target.GrainId, target.Invoker, methodId, Flags(target.Invoker, methodId), arguments);
        Stamp(message);
        RuntimeInstrumentation.CallsSent.Add(1);
        silo.Router.Dispatch(message);
        return Task.CompletedTask;
    }

    /// <summary>Sends a runtime-originated request (timer-free: reminders) and returns its completion.</summary>
    public Task InvokeSystemAsync(GrainId target, IGrainMethodInvoker invoker, int methodId, IGrainCallArguments? arguments)
    {
        var message = new RequestMessage<VoidResult>(target, invoker, methodId, Flags(invoker, methodId), arguments);
        Send(message, CancellationToken.None);
        return message.Task;
    }

    private void Send<T>(RequestMessage<T> message, CancellationToken cancellationToken)
    {
        Stamp(message);
        message.CancellationToken = cancellationToken;
        RuntimeInstrumentation.CallsSent.Add(1);

        var now = Environment.TickCount64;
        var timeoutMs = (long)silo.Options.ResponseTimeout.TotalMilliseconds;
        if (message.Context?.Deadline is { } deadline)
        {
            var remaining = (long)(deadline - silo.Options.TimeProvider.GetUtcNow()).TotalMilliseconds;
            if (remaining <= 0)
            {
                message.TryFail(new TimeoutException($"{message} was not sent: the request context's deadline {deadline:O} has passed."));
                return;
            }

            timeoutMs = Math.Min(timeoutMs, remaining);
        }

        message.DeadlineTicks = now + timeoutMs;

        Activity? activity = null;
        if (RuntimeInstrumentation.ActivitySource.HasListeners())
        {
            activity = RuntimeInstrumentation.ActivitySource.StartActivity($"{message.Invoker.Descriptor.Name}/{message.MethodName}", ActivityKind.Client);
            if (activity is not null)
            {
                activity.SetTag("rpc.system", "helamem");
                activity.SetTag("helamem.grain_id", message.Target.ToString());
                message.CallerActivity = activity;
            }
        }

        message.Track(RuntimeInstrumentation.CallDuration.Enabled ? Stopwatch.GetTimestamp() : 0);

        if (cancellationToken.CanBeCanceled)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                message.Cancel(cancellationToken);
                return;
            }

            message.RegisterCancellation(cancellationToken);
        }

        silo.TimeoutWheel.Add(message);
        if (silo.OutgoingFilters.Length == 0)
        {
            silo.Router.Dispatch(message);
        }
        else
        {
            _ = OutgoingCallContext.RunAsync(silo, message, message.Task);
        }
    }

    private static GrainCallBehavior Flags(IGrainMethodInvoker invoker, int methodId)
    {
        var methods = invoker.Descriptor.Methods;
        if ((uint)methodId >= (uint)methods.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(methodId), methodId, $"{invoker.Descriptor.Name} has no method with this id.");
        }

        return methods[methodId].Flags;
    }

    // The caller's request context and, from inside a grain, the call chain (shared by all calls of the request).
    private static void Stamp(Message message)
    {
        message.Context = RequestContext.Current;
        switch (InvocationContext.Current)
        {
            case Message running:
                message.Chain = running.OutgoingChain;
                break;
            case Activation.ActivationData activation:
                message.Chain = new CallChain(activation.GrainId, null);
                break;
        }
    }

    /// <summary>The result type of methods without a result.</summary>
    internal readonly struct VoidResult;
}
