using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Messaging;

namespace HelaMem.Runtime;

/// <summary>
/// The base of every generated proxy: a grain's identity plus the runtime that carries its calls. References are
/// immutable and cheap; any number may exist for one grain, on any thread, in grains, hosts and tests.
/// </summary>
public abstract class GrainReference : IEquatable<GrainReference>
{
    private readonly IGrainCallRuntime _runtime;

    /// <summary>Called by generated proxies.</summary>
    protected GrainReference(IGrainCallRuntime runtime, GrainId grainId, IGrainMethodInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(invoker);
        _runtime = runtime;
        GrainId = grainId;
        Invoker = invoker;
    }

    /// <summary>The referenced grain.</summary>
    public GrainId GrainId { get; }

    /// <summary>The interface this reference exposes.</summary>
    public IGrainMethodInvoker Invoker { get; }

    // A call made from inside a grain goes through that grain's silo, even when the reference was created
    // elsewhere (e.g. passed in an argument from a silo that has since stopped).
    private IGrainCallRuntime Runtime => InvocationContext.CurrentRuntime ?? _runtime;

    /// <summary>Sends a call of a method with a result.</summary>
    protected Task<TResult> InvokeAsync<TResult>(int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken) =>
        Runtime.InvokeAsync<TResult>(this, methodId, arguments, cancellationToken);

    /// <summary>Sends a call of a method without a result.</summary>
    protected Task InvokeAsync(int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken) =>
        Runtime.InvokeAsync(this, methodId, arguments, cancellationToken);

    /// <summary>Sends a one-way call.</summary>
    protected Task InvokeOneWay(int methodId, IGrainCallArguments? arguments) =>
        Runtime.InvokeOneWay(this, methodId, arguments);

    /// <inheritdoc />
    public bool Equals(GrainReference? other) =>
        other is not null && GrainId == other.GrainId && Invoker.Descriptor.InterfaceType == other.Invoker.Descriptor.InterfaceType;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => GrainId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"{Invoker.Descriptor.Name}:{GrainId}";
}

/// <summary>Helpers on grain references.</summary>
public static class GrainReferenceExtensions
{
    /// <summary>The identity of the grain behind <paramref name="grain"/> (a reference or a grain instance).</summary>
    public static GrainId GetGrainId(this IGrain grain) => grain switch
    {
        GrainReference reference => reference.GrainId,
        Grain instance => instance.GrainId,
        null => throw new ArgumentNullException(nameof(grain)),
        _ => throw new ArgumentException($"{grain.GetType().Name} is neither a grain reference nor a grain.", nameof(grain)),
    };
}
