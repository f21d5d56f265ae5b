using HelaMem.Runtime.Activation;
using HelaMem.Runtime.CodeGeneration;

namespace HelaMem.Runtime.Messaging;

/// <summary>
/// Which request of which activation the current flow belongs to. An async-local, so it survives awaits and tells
/// apart the interleaved requests of a reentrant activation; outgoing calls read it to extend the call chain and to
/// go through the grain's own silo.
/// </summary>
internal sealed class InvocationContext
{
    private static readonly AsyncLocal<InvocationContext?> Ambient = new();

    public InvocationContext(ActivationData activation, Message? message)
    {
        Activation = activation;
        Message = message;
    }

    public ActivationData Activation { get; }

    public Message? Message { get; }

    public static InvocationContext? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    public static IGrainCallRuntime? CurrentRuntime => Ambient.Value?.Activation.Silo.Runtime;
}
