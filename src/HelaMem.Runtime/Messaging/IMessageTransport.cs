using System.Collections.Concurrent;
using HelaMem.Runtime.Membership;

namespace HelaMem.Runtime.Messaging;

/// <summary>Delivers requests to other silos. In one process a shared object; across processes a socket transport.</summary>
public interface IMessageTransport
{
    /// <summary>Makes <paramref name="silo"/> reachable; its requests go to <paramref name="receiver"/>.</summary>
    void Register(SiloAddress silo, IMessageReceiver receiver);

    /// <summary>Makes <paramref name="silo"/> unreachable.</summary>
    void Unregister(SiloAddress silo);

    /// <summary>Hands <paramref name="message"/> to <paramref name="silo"/>; false when that silo is not reachable.</summary>
    bool TrySend(SiloAddress silo, Message message);
}

/// <summary>A silo's inbound side of the transport.</summary>
public interface IMessageReceiver
{
    /// <summary>Routes a request that arrived from another silo.</summary>
    void Receive(Message message);
}

/// <summary>
/// The in-process transport: silos of one process hand each other the request objects themselves. Arguments and
/// results are passed by reference (they must be immutable); responses complete the caller's task directly.
/// </summary>
public sealed class InProcessTransport : IMessageTransport
{
    private readonly ConcurrentDictionary<SiloAddress, IMessageReceiver> _silos = new();

    /// <inheritdoc />
    public void Register(SiloAddress silo, IMessageReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(receiver);
        _silos[silo] = receiver;
    }

    /// <inheritdoc />
    public void Unregister(SiloAddress silo) => _silos.TryRemove(silo, out _);

    /// <inheritdoc />
    public bool TrySend(SiloAddress silo, Message message)
    {
        if (!_silos.TryGetValue(silo, out var receiver))
        {
            return false;
        }

        receiver.Receive(message);
        return true;
    }
}
