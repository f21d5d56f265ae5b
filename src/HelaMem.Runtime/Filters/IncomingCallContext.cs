using HelaMem.Runtime.Activation;
using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Messaging;

namespace HelaMem.Runtime.Filters;

/// <summary>Runs the incoming filters of a silo around one request, then the grain method.</summary>
internal sealed class IncomingCallContext : IIncomingGrainCallContext
{
    private readonly ActivationData _activation;
    private readonly Message _message;
    private int _next;
    private Task? _grainTask;

    private IncomingCallContext(ActivationData activation, Message message)
    {
        _activation = activation;
        _message = message;
    }

    public GrainId TargetId => _message.Target;

    public string InterfaceName => _message.Invoker.Descriptor.Name;

    public string MethodName => _message.MethodName;

    public IGrainCallArguments? Arguments => _message.Arguments;

    public RequestContextData? RequestContext => _message.Context;

    public object Grain => _activation.Instance!;

    /// <summary>Returns a task that completes as the grain method's own task would (faulted if a filter threw).</summary>
    public static Task Run(ActivationData activation, Message message)
    {
        var context = new IncomingCallContext(activation, message);
        return context.RunAsync();
    }

    public Task Invoke()
    {
        var filters = _activation.Silo.IncomingFilters;
        if (_next < filters.Length)
        {
            return filters[_next++].Invoke(this);
        }

        _grainTask = _message.Invoker.Invoke(_activation.Instance!, _message.MethodId, _message.Arguments, _message.CancellationToken);
        _message.GrainTask = _grainTask;
        return _grainTask;
    }

    // The caller's typed result lives in the grain method's task, so that task (not the filter chain's) is the outcome.
    private async Task RunAsync()
    {
        await Invoke();
        if (_grainTask is null)
        {
            throw new InvalidOperationException($"An incoming grain call filter returned without calling Invoke() and without throwing; {_message} has no result.");
        }

        await _grainTask;
    }
}
