using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Placement;

namespace HelaMem.Runtime.Placement;

/// <summary>
/// Rendezvous (highest-random-weight) hashing: every candidate silo gets a score from a hash of (placement key,
/// silo endpoint) and the highest wins. Deterministic across silos and processes, and when a silo joins or leaves
/// only the keys it wins or held move. Endpoints (not generations) are hashed, so a restarted silo wins its keys back.
/// </summary>
public sealed class RendezvousPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public SiloAddress Place(GrainId grainId, string placementKey, IReadOnlyList<SiloAddress> candidates)
    {
        ArgumentNullException.ThrowIfNull(placementKey);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException($"No active silo can host {grainId}.");
        }

        var keyHash = StableHash.Of(placementKey, 0xcbf29ce484222325UL);
        SiloAddress? best = null;
        var bestScore = 0UL;
        foreach (var silo in candidates)
        {
            var score = StableHash.Mix(StableHash.Of(silo.Endpoint, keyHash));
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(silo.Endpoint, best.Endpoint) < 0))
            {
                best = silo;
                bestScore = score;
            }
        }

        return best!;
    }
}

/// <summary>A stable 64-bit string hash (FNV-1a over UTF-16 code units, then a murmur finalizer): same value in every process.</summary>
internal static class StableHash
{
    public static ulong Of(string text, ulong seed)
    {
        var hash = seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001b3UL;
        }

        return hash;
    }

    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccdUL;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53UL;
        value ^= value >> 33;
        return value;
    }
}
