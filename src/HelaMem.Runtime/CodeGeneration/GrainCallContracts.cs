namespace HelaMem.Runtime.CodeGeneration;

/// <summary>How the runtime schedules calls to one grain method (from the interface method's attributes).</summary>
[Flags]
public enum GrainCallBehavior
{
    /// <summary>An ordinary request: runs alone on its activation.</summary>
    None = 0,

    /// <summary>[ReadOnly]: runs together with other read-only requests.</summary>
    ReadOnly = 1,

    /// <summary>[AlwaysInterleave]: runs together with anything.</summary>
    AlwaysInterleave = 2,

    /// <summary>[OneWay]: the caller does not wait for a response.</summary>
    OneWay = 4,
}

/// <summary>One method of a grain interface, indexed by its method id.</summary>
/// <param name="Name">The method's name.</param>
/// <param name="Flags">Its scheduling flags.</param>
public sealed record GrainMethodDescriptor(string Name, GrainCallBehavior Flags);

/// <summary>A grain interface as the generator described it.</summary>
/// <param name="InterfaceType">The interface.</param>
/// <param name="Name">Its display name (namespace-qualified).</param>
/// <param name="Methods">Its methods (own and inherited), indexed by method id.</param>
public sealed record GrainInterfaceDescriptor(Type InterfaceType, string Name, IReadOnlyList<GrainMethodDescriptor> Methods);

/// <summary>The arguments of one call, as generated per method (no boxing on the call path).</summary>
public interface IGrainCallArguments
{
    /// <summary>How many arguments the call carries (cancellation tokens excluded).</summary>
    int Count { get; }

    /// <summary>Argument <paramref name="index"/>, boxed (for filters and diagnostics only).</summary>
    object? GetArgument(int index);
}

/// <summary>Calls a grain method by id: a generated switch, one per grain interface.</summary>
public interface IGrainMethodInvoker
{
    /// <summary>The interface this invoker serves.</summary>
    GrainInterfaceDescriptor Descriptor { get; }

    /// <summary>Calls method <paramref name="methodId"/> on <paramref name="grain"/>; returns the method's task (a Task&lt;T&gt; for methods with a result).</summary>
    Task Invoke(object grain, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken);
}

/// <summary>What a generated proxy needs from the runtime: send a call and hand back the caller's task.</summary>
public interface IGrainCallRuntime
{
    /// <summary>Sends a request whose method returns a value.</summary>
    Task<TResult> InvokeAsync<TResult>(GrainReference target, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken);

    /// <summary>Sends a request whose method returns no value.</summary>
    Task InvokeAsync(GrainReference target, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken);

    /// <summary>Sends a one-way request; completes once the request is handed to the runtime.</summary>
    Task InvokeOneWay(GrainReference target, int methodId, IGrainCallArguments? arguments);
}
