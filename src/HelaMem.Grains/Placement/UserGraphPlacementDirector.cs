using System.Net;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace HelaMem.Grains.Placement;

/// <summary>
/// Chooses the silo of a user graph's grain: among the compatible silos, the one with the highest rendezvous score of
/// (<c>tenant/user</c>, silo endpoint). Every silo computes the same answer from the same membership, whichever grain
/// of the graph activates first, and a restarted silo (same endpoint, new generation) gets its graphs back.
/// </summary>
public sealed class UserGraphPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
        {
            throw new OrleansException($"No silo can host {target.GrainIdentity}: none is compatible with its grain type.");
        }

        var graph = GraphPrefix(target.GrainIdentity.Key.AsSpan());
        return Task.FromResult(Choose(graph, silos));
    }

    /// <summary>The silo rendezvous hashing picks for <paramref name="graphKey"/> (<c>tenant/user</c>) among <paramref name="silos"/>.</summary>
    public static SiloAddress Choose(ReadOnlySpan<byte> graphKey, IReadOnlyList<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        var keyHash = RendezvousHash.Of(graphKey);
        SiloAddress? best = null;
        var bestScore = 0UL;
        foreach (var silo in silos)
        {
            var score = RendezvousHash.Combine(keyHash, EndpointHash(silo.Endpoint));
            // Ties (practically impossible with 64-bit scores) go to the lower address, so every silo agrees.
            if (best is null || score > bestScore || (score == bestScore && silo.CompareTo(best) < 0))
            {
                best = silo;
                bestScore = score;
            }
        }

        return best!;
    }

    /// <summary>The <c>tenant/user</c> prefix of a grain key (the first two '/'-separated segments), as UTF-8.</summary>
    public static ReadOnlySpan<byte> GraphPrefix(ReadOnlySpan<byte> key)
    {
        var first = key.IndexOf((byte)'/');
        if (first < 0)
        {
            return key;
        }

        var second = key[(first + 1)..].IndexOf((byte)'/');
        return second < 0 ? key : key[..(first + 1 + second)];
    }

    private static ulong EndpointHash(IPEndPoint endpoint)
    {
        Span<byte> buffer = stackalloc byte[18];
        endpoint.Address.TryWriteBytes(buffer, out var written);
        buffer[written] = (byte)(endpoint.Port >> 8);
        buffer[written + 1] = (byte)endpoint.Port;
        return RendezvousHash.Of(buffer[..(written + 2)]);
    }
}
