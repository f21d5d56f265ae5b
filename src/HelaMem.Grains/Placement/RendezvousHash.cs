namespace HelaMem.Grains.Placement;

/// <summary>
/// A stable 64-bit hash for rendezvous placement: FNV-1a over the bytes, then a SplitMix64 finaliser so that nearby
/// inputs (silo ports 11111 and 11112) score independently. Stable across processes and versions, unlike
/// <see cref="string.GetHashCode()"/>: every silo must compute the same scores.
/// </summary>
internal static class RendezvousHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return Mix(hash);
    }

    public static ulong Combine(ulong key, ulong silo) => Mix(key ^ (silo * 0x9E3779B97F4A7C15UL));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
