using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace HelaMem.Embeddings.Glove;

/// <summary>Supplies the vector of one cache row (in row order) to the writer.</summary>
internal delegate ReadOnlySpan<float> CacheRowVector(int row);

/// <summary>Writes a GloVe cache file in the layout of <see cref="GloveCacheFormat"/>.</summary>
internal static class GloveCacheWriter
{
    /// <summary>
    /// Writes the cache to <paramref name="output"/>. <paramref name="words"/> and <paramref name="ranks"/> are in
    /// row order (ranks strictly increasing); <paramref name="vectorOf"/> gives each row's
    /// <paramref name="dimensions"/> components.
    /// </summary>
    public static void Write(
        Stream output,
        int dimensions,
        int sourceWordCount,
        IReadOnlyList<string> words,
        IReadOnlyList<int> ranks,
        CacheRowVector vectorOf,
        int blockRows = GloveCacheFormat.DefaultBlockRows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(vectorOf);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The GloVe cache is written in little-endian byte order only.");
        }

        if (words.Count != ranks.Count || words.Count == 0)
        {
            throw new ArgumentException($"Expected one rank per word and at least one word (got {words.Count} words, {ranks.Count} ranks).", nameof(words));
        }

        var wordBytes = Encoding.ASCII.GetBytes(string.Join('\n', words));
        var header = new GloveCacheFormat.Header(
            GloveCacheFormat.CurrentVersion, dimensions, words.Count, sourceWordCount, blockRows, wordBytes.Length);
        var inconsistency = header.FindInconsistency();
        if (inconsistency is not null)
        {
            throw new ArgumentException($"Cannot write a GloVe cache with {inconsistency}.", nameof(dimensions));
        }

        // Metadata checksum: everything but the vectors (which have per-block checksums) and the trailer itself.
        var metaCrc = Crc32C.Seed;

        Span<byte> headerBytes = stackalloc byte[GloveCacheFormat.HeaderSize];
        header.Write(headerBytes);
        metaCrc = WriteAndHash(output, headerBytes, metaCrc);

        var rankBytes = new byte[4 * ranks.Count];
        for (var i = 0; i < ranks.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(rankBytes.AsSpan(4 * i), ranks[i]);
        }

        metaCrc = WriteAndHash(output, rankBytes, metaCrc);
        metaCrc = WriteAndHash(output, wordBytes, metaCrc);
        var padding = new byte[header.VectorsOffset - (header.WordsOffset + wordBytes.Length)];
        metaCrc = WriteAndHash(output, padding, metaCrc);

        var blockChecksums = new byte[4 * header.BlockCount];
        var blockCrc = Crc32C.Seed;
        for (var row = 0; row < words.Count; row++)
        {
            var vector = vectorOf(row);
            if (vector.Length != dimensions)
            {
                throw new ArgumentException($"Row {row} ('{words[row]}') has {vector.Length} components, expected {dimensions}.", nameof(vectorOf));
            }

            var bytes = MemoryMarshal.AsBytes(vector);
            output.Write(bytes);
            blockCrc = Crc32C.Append(blockCrc, bytes);
            if ((row + 1) % blockRows == 0 || row == words.Count - 1)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(blockChecksums.AsSpan(4 * (row / blockRows)), Crc32C.Finish(blockCrc));
                blockCrc = Crc32C.Seed;
            }
        }

        metaCrc = WriteAndHash(output, blockChecksums, metaCrc);
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32C.Finish(metaCrc));
        output.Write(trailer);
    }

    private static uint WriteAndHash(Stream output, ReadOnlySpan<byte> bytes, uint crc)
    {
        output.Write(bytes);
        return Crc32C.Append(crc, bytes);
    }
}
