using System.Numerics;
using System.Runtime.InteropServices;

namespace HelaMem.Embeddings.Glove;

/// <summary>
/// CRC-32C (Castagnoli) over spans, eight bytes per step. <see cref="BitOperations.Crc32C(uint, ulong)"/> maps to
/// the SSE4.2 / ARMv8 CRC instructions, so checking the whole loaded vector matrix costs milliseconds.
/// </summary>
internal static class Crc32C
{
    public const uint Seed = 0xFFFFFFFF;

    /// <summary>Continues <paramref name="crc"/> (start with <see cref="Seed"/>) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words)
        {
            crc = BitOperations.Crc32C(crc, word);
        }

        foreach (var b in data[(words.Length * sizeof(ulong))..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>The finished CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Seed, data));

    /// <summary>Turns a running value into the final checksum.</summary>
    public static uint Finish(uint crc) => ~crc;
}
