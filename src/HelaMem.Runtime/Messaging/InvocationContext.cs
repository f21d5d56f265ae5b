using HelaMem.Runtime.Activation;
using HelaMem.Runtime.CodeGeneration;

namespace HelaMem.Runtime.Messaging;

/// <summary>
/// Which request of which activation the current flow belongs to: an async-local holding the running
/// <see cref="Message"/> (or, during activation and deactivation, the <see cref="ActivationData"/>). It survives
/// awaits and tells apart the interleaved requests of a reentrant activation; outgoing calls read it to extend the
/// call chain and to go through the grain's own silo. Holding the message itself costs no allocation per request.
/// </summary>
internal static class InvocationContext
{
    private static readonly AsyncLocal<object?> Ambient = new();

    public static ActivationData? CurrentActivation => Ambient.Value switch
    {
        Message message => message.TargetActivation,
        ActivationData activation => activation,
        _ => null,
    };

    /// <summary>The call chain of the running request (null outside requests).</summary>
    /// <summary>The running <see cref="Message"/>, or the <see cref="ActivationData"/> being (de)activated, or null.</summary>
    public static object? Current => Ambient.Value;

    public static CallChain? CurrentChain => (Ambient.Value as Message)?.Chain;

    public static IGrainCallRuntime? CurrentRuntime => CurrentActivation?.Silo.Runtime;

    public static void Enter(Message message) => Ambient.Value = message;

    public static void Enter(ActivationData activation) => Ambient.Value = activation;

    public static void Clear()
    {
        if (Ambient.Value is not null)
        {
            Ambient.Value = null;
        }
    }
}
