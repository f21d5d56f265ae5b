using System.Buffers.Binary;
using System.Numerics;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// CRC-32C of a payload, stored beside it so that a read notices bytes that were damaged or replaced outside
/// HelaMem instead of handing garbage to the deserializer. Hardware-accelerated on x64 and Arm64.
/// </summary>
internal static class PayloadChecksum
{
    public static uint Compute(ReadOnlySpan<byte> payload)
    {
        var crc = uint.MaxValue;
        while (payload.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(payload));
            payload = payload[sizeof(ulong)..];
        }

        foreach (var value in payload)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        return ~crc;
    }
}
