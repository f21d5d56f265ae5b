using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Hosting;
using HelaMem.Runtime.Messaging;

namespace HelaMem.Runtime.Filters;

/// <summary>Runs the outgoing filters of a silo around one call, then dispatches it and waits for its response.</summary>
internal sealed class OutgoingCallContext : IOutgoingGrainCallContext
{
    private readonly Silo _silo;
    private readonly Message _message;
    private readonly Task _response;
    private int _next;

    private OutgoingCallContext(Silo silo, Message message, Task response)
    {
        _silo = silo;
        _message = message;
        _response = response;
    }

    public GrainId TargetId => _message.Target;

    public string InterfaceName => _message.Invoker.Descriptor.Name;

    public string MethodName => _message.MethodName;

    public IGrainCallArguments? Arguments => _message.Arguments;

    public RequestContextData? RequestContext => _message.Context;

    public GrainId? SourceId => _message.Chain?.GrainId;

    public static async Task RunAsync(Silo silo, Message message, Task response)
    {
        try
        {
            await new OutgoingCallContext(silo, message, response).Invoke();
        }
        catch (Exception exception) when (!response.IsCompleted)
        {
            // A filter refused the call before it was sent (or failed afterwards): the caller gets its exception.
            message.TryCancel();
            message.Response!.TryFail(exception);
        }
        catch (Exception)
        {
            // The caller already has the call's own outcome.
        }
    }

    public Task Invoke()
    {
        var filters = _silo.OutgoingFilters;
        if (_next < filters.Length)
        {
            return filters[_next++].Invoke(this);
        }

        _silo.Router.Dispatch(_message);
        return _response;
    }
}
