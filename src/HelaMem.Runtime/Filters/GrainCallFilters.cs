using HelaMem.Runtime.CodeGeneration;

namespace HelaMem.Runtime.Filters;

/// <summary>What a call filter sees of a call.</summary>
public interface IGrainCallContext
{
    /// <summary>The target grain.</summary>
    GrainId TargetId { get; }

    /// <summary>The interface called (namespace-qualified).</summary>
    string InterfaceName { get; }

    /// <summary>The method called.</summary>
    string MethodName { get; }

    /// <summary>The call's arguments, or null for none.</summary>
    IGrainCallArguments? Arguments { get; }

    /// <summary>The request context the call carries.</summary>
    RequestContextData? RequestContext { get; }

    /// <summary>Continues with the next filter, and finally the call itself. A filter rejects a call by throwing instead.</summary>
    Task Invoke();
}

/// <summary>A filter around every request an activation of this silo runs (runs on the activation, inside its turn).</summary>
public interface IIncomingGrainCallFilter
{
    /// <summary>Inspects the call and calls <see cref="IGrainCallContext.Invoke"/> (awaiting it) or throws.</summary>
    Task Invoke(IIncomingGrainCallContext context);
}

/// <summary>A filter around every call sent from this silo (by its grains or through its grain factory).</summary>
public interface IOutgoingGrainCallFilter
{
    /// <summary>Inspects the call and calls <see cref="IGrainCallContext.Invoke"/> (awaiting it) or throws.</summary>
    Task Invoke(IOutgoingGrainCallContext context);
}

/// <summary>The incoming side: also exposes the grain instance.</summary>
public interface IIncomingGrainCallContext : IGrainCallContext
{
    /// <summary>The grain instance that will run the call.</summary>
    object Grain { get; }
}

/// <summary>The outgoing side: also exposes the calling grain, if any.</summary>
public interface IOutgoingGrainCallContext : IGrainCallContext
{
    /// <summary>The grain making the call, or null for calls from outside grains.</summary>
    GrainId? SourceId { get; }
}
