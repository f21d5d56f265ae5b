using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using HelaMem.Core.Text;
using Microsoft.Win32.SafeHandles;

namespace HelaMem.Embeddings.Glove;

/// <summary>The rows of a cache that a loader asked for (a prefix of the file's rows).</summary>
/// <param name="Dimensions">Components per vector.</param>
/// <param name="SourceWordCount">Size of the package's words list (the largest possible vocabulary).</param>
/// <param name="Words">The loaded rows' words, in frequency order.</param>
/// <param name="Ranks">The 1-based frequency rank of each loaded word.</param>
/// <param name="Vectors">Row-major vectors; may hold a few more rows than <paramref name="Words"/> (whole checksum blocks).</param>
internal sealed record GloveCacheContents(int Dimensions, int SourceWordCount, string[] Words, int[] Ranks, float[] Vectors);

/// <summary>
/// Reads and validates a GloVe cache file. Every problem (missing magic, other version, truncation, checksum
/// mismatch, malformed word list) surfaces as an <see cref="EmbeddingCacheCorruptException"/> that names it.
/// </summary>
internal static class GloveCacheReader
{
    /// <summary>True when the file exists, starts with a current-version header and has the announced length.</summary>
    public static bool HasValidHeader(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var header = ReadHeader(handle, path);
            return RandomAccess.GetLength(handle) == header.TotalLength;
        }
        catch (EmbeddingCacheCorruptException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads the rows whose rank is at most <paramref name="maxRank"/>, verifying what it reads.</summary>
    public static GloveCacheContents Read(string path, int maxRank)
    {
        using var handle = OpenCache(path);
        var (header, meta, blockChecksums) = ReadVerifiedMetadata(handle, path);
        var ranks = ReadRanks(meta.AsSpan((int)GloveCacheFormat.Header.RanksOffset, 4 * header.RowCount), header, maxRank, path);
        var loadRows = ranks.Length;
        var words = ReadWords(meta.AsSpan((int)header.WordsOffset, header.WordsByteLength), header.RowCount, loadRows, path);

        // Read whole checksum blocks covering the requested rows; the few extra rows of the last block stay unused.
        var blocksToRead = (loadRows + header.BlockRows - 1) / header.BlockRows;
        var rowsToRead = Math.Min(header.RowCount, blocksToRead * header.BlockRows);
        var vectors = GC.AllocateUninitializedArray<float>(checked(rowsToRead * header.Dimensions));
        var vectorBytes = MemoryMarshal.AsBytes(vectors.AsSpan());
        ReadExactly(handle, vectorBytes, header.VectorsOffset, path);
        var blockBytes = BlockBytes(header);
        for (var block = 0; block < blocksToRead; block++)
        {
            var start = block * blockBytes;
            CheckBlock(vectorBytes.Slice(start, Math.Min(blockBytes, vectorBytes.Length - start)), block, header, blockChecksums, path);
        }

        return new GloveCacheContents(header.Dimensions, header.SourceWordCount, words, ranks, vectors);
    }

    /// <summary>
    /// Verifies the whole file (used by setup before trusting an existing cache) block by block, with one
    /// block-sized buffer, so that checking 130 MB does not allocate 130 MB.
    /// </summary>
    public static void Verify(string path)
    {
        using var handle = OpenCache(path);
        var (header, meta, blockChecksums) = ReadVerifiedMetadata(handle, path);
        ReadRanks(meta.AsSpan((int)GloveCacheFormat.Header.RanksOffset, 4 * header.RowCount), header, maxRank: 0, path);
        ReadWords(meta.AsSpan((int)header.WordsOffset, header.WordsByteLength), header.RowCount, loadRows: 0, path);
        var blockBytes = BlockBytes(header);
        var buffer = new byte[(int)Math.Min(blockBytes, header.VectorBytes)];
        for (var block = 0; block < header.BlockCount; block++)
        {
            var start = (long)block * blockBytes;
            var slice = buffer.AsSpan(0, (int)Math.Min(blockBytes, header.VectorBytes - start));
            ReadExactly(handle, slice, header.VectorsOffset + start, path);
            CheckBlock(slice, block, header, blockChecksums, path);
        }
    }

    private static SafeFileHandle OpenCache(string path)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The GloVe cache is stored in little-endian byte order only.");
        }

        if (!File.Exists(path))
        {
            throw new EmbeddingCacheMissingException(path);
        }

        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    /// <summary>
    /// Reads the header and the metadata (ranks, words, padding, block checksums: a few MB) and checks the length
    /// and the metadata checksum first, so that every later decision (how many rows, which blocks) rests on
    /// verified numbers.
    /// </summary>
    private static (GloveCacheFormat.Header Header, byte[] Meta, byte[] BlockChecksums) ReadVerifiedMetadata(SafeFileHandle handle, string path)
    {
        var header = ReadHeader(handle, path);
        var length = RandomAccess.GetLength(handle);
        if (length != header.TotalLength)
        {
            throw new EmbeddingCacheCorruptException(path, length < header.TotalLength
                ? $"truncated: the header announces {header.TotalLength} bytes, the file has {length}"
                : $"{length - header.TotalLength} unexpected bytes after the announced end ({header.TotalLength} bytes)");
        }

        var meta = new byte[header.VectorsOffset];
        ReadExactly(handle, meta, 0, path);
        var blockChecksums = new byte[(4 * header.BlockCount) + 4];
        ReadExactly(handle, blockChecksums, header.BlockChecksumsOffset, path);
        var metaCrc = Crc32C.Append(Crc32C.Append(Crc32C.Seed, meta), blockChecksums.AsSpan(0, 4 * header.BlockCount));
        var storedMetaCrc = BinaryPrimitives.ReadUInt32LittleEndian(blockChecksums.AsSpan(4 * header.BlockCount));
        if (Crc32C.Finish(metaCrc) != storedMetaCrc)
        {
            throw new EmbeddingCacheCorruptException(path, "the checksum of the header and word list does not match");
        }

        return (header, meta, blockChecksums);
    }

    private static int BlockBytes(GloveCacheFormat.Header header) => checked(4 * header.BlockRows * header.Dimensions);

    private static void CheckBlock(ReadOnlySpan<byte> block, int index, GloveCacheFormat.Header header, byte[] blockChecksums, string path)
    {
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(blockChecksums.AsSpan(4 * index));
        if (Crc32C.Compute(block) != stored)
        {
            throw new EmbeddingCacheCorruptException(path, $"the checksum of vector block {index} (rows {(long)index * header.BlockRows}..) does not match");
        }
    }

    private static GloveCacheFormat.Header ReadHeader(SafeFileHandle handle, string path)
    {
        Span<byte> bytes = stackalloc byte[GloveCacheFormat.HeaderSize];
        var read = RandomAccess.Read(handle, bytes, 0);
        if (read < GloveCacheFormat.HeaderSize)
        {
            throw new EmbeddingCacheCorruptException(path, $"truncated: {read} bytes, shorter than the {GloveCacheFormat.HeaderSize}-byte header");
        }

        var header = GloveCacheFormat.Header.TryRead(bytes)
            ?? throw new EmbeddingCacheCorruptException(path, "it does not start with the HLMGLOVE magic, so it is not a HelaMem GloVe cache");
        var inconsistency = header.FindInconsistency();
        return inconsistency is null ? header : throw new EmbeddingCacheCorruptException(path, inconsistency);
    }

    private static int[] ReadRanks(ReadOnlySpan<byte> bytes, GloveCacheFormat.Header header, int maxRank, string path)
    {
        var ranks = new List<int>(Math.Min(header.RowCount, 1 << 20));
        var previous = 0;
        for (var row = 0; row < header.RowCount; row++)
        {
            var rank = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * row)..]);
            if (rank <= previous || rank > header.SourceWordCount)
            {
                throw new EmbeddingCacheCorruptException(path, $"row {row} has rank {rank}, ranks must increase within 1..{header.SourceWordCount}");
            }

            previous = rank;
            if (rank <= maxRank)
            {
                ranks.Add(rank);
            }
        }

        return [.. ranks];
    }

    private static string[] ReadWords(ReadOnlySpan<byte> bytes, int rowCount, int loadRows, string path)
    {
        var words = new string[loadRows];
        var row = 0;
        foreach (var range in bytes.Split(GloveCacheFormat.WordSeparator))
        {
            var word = bytes[range];
            if (row >= rowCount || word.IsEmpty || !IsTokenWord(word))
            {
                throw new EmbeddingCacheCorruptException(path, $"the word list is malformed near row {row}");
            }

            if (row < loadRows)
            {
                words[row] = Encoding.ASCII.GetString(word);
            }

            row++;
        }

        return row == rowCount ? words : throw new EmbeddingCacheCorruptException(path, $"the word list has {row} words, the header announces {rowCount}");
    }

    private static bool IsTokenWord(ReadOnlySpan<byte> word)
    {
        foreach (var b in word)
        {
            if (!Tokenizer.IsTokenChar((char)b) || b is >= (byte)'A' and <= (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string path)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new EmbeddingCacheCorruptException(path, $"truncated while reading at byte {offset}");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
