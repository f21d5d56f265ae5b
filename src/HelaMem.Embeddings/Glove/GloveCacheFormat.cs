using System.Buffers.Binary;

namespace HelaMem.Embeddings.Glove;

/// <summary>
/// The binary layout of the GloVe cache, version 1 (all integers little-endian):
/// <code>
/// header   32 bytes   magic "HLMGLOVE", u32 version, u32 dimensions, u32 rowCount, u32 sourceWordCount,
///                     u32 blockRows, u32 wordsByteLength
/// ranks    u32[rowCount]        1-based frequency rank of each row's word in the package's words list
/// words    ASCII, '\n'-joined   the row words, in row order
/// padding  zeros up to a multiple of 8
/// vectors  f32[rowCount × dimensions], row-major
/// blocks   u32[ceil(rowCount / blockRows)]   CRC-32C of each block of blockRows vector rows
/// trailer  u32                  CRC-32C of header, ranks, words, padding and the block checksums
/// </code>
/// Rows are the words a <c>[a-z0-9]+</c> token can equal, in frequency order, so the rows of any vocabulary
/// size form a prefix of the file and a loader reads only that prefix (and checks only its blocks).
/// </summary>
internal static class GloveCacheFormat
{
    public const int CurrentVersion = 1;
    public const int HeaderSize = 32;
    public const int DefaultBlockRows = 8192;
    public const byte WordSeparator = (byte)'\n';

    public static ReadOnlySpan<byte> Magic => "HLMGLOVE"u8;

    /// <summary>The fields of the fixed header.</summary>
    internal readonly record struct Header(int Version, int Dimensions, int RowCount, int SourceWordCount, int BlockRows, int WordsByteLength)
    {
        public static long RanksOffset => HeaderSize;

        public long WordsOffset => RanksOffset + (4L * RowCount);

        public long VectorsOffset => AlignTo8(WordsOffset + WordsByteLength);

        public long VectorBytes => 4L * RowCount * Dimensions;

        public int BlockCount => (int)((RowCount + (long)BlockRows - 1) / BlockRows);

        public long BlockChecksumsOffset => VectorsOffset + VectorBytes;

        public long TrailerOffset => BlockChecksumsOffset + (4L * BlockCount);

        public long TotalLength => TrailerOffset + 4;

        public void Write(Span<byte> destination)
        {
            Magic.CopyTo(destination);
            BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Version);
            BinaryPrimitives.WriteInt32LittleEndian(destination[12..], Dimensions);
            BinaryPrimitives.WriteInt32LittleEndian(destination[16..], RowCount);
            BinaryPrimitives.WriteInt32LittleEndian(destination[20..], SourceWordCount);
            BinaryPrimitives.WriteInt32LittleEndian(destination[24..], BlockRows);
            BinaryPrimitives.WriteInt32LittleEndian(destination[28..], WordsByteLength);
        }

        /// <summary>Parses a header; returns null when the magic does not match.</summary>
        public static Header? TryRead(ReadOnlySpan<byte> source)
        {
            if (source.Length < HeaderSize || !source[..8].SequenceEqual(Magic))
            {
                return null;
            }

            return new Header(
                BinaryPrimitives.ReadInt32LittleEndian(source[8..]),
                BinaryPrimitives.ReadInt32LittleEndian(source[12..]),
                BinaryPrimitives.ReadInt32LittleEndian(source[16..]),
                BinaryPrimitives.ReadInt32LittleEndian(source[20..]),
                BinaryPrimitives.ReadInt32LittleEndian(source[24..]),
                BinaryPrimitives.ReadInt32LittleEndian(source[28..]));
        }

        /// <summary>Returns a description of the first inconsistency, or null when the fields are plausible.</summary>
        public string? FindInconsistency()
        {
            if (Version != CurrentVersion)
            {
                return $"format version {Version}, this build reads version {CurrentVersion}";
            }

            if (Dimensions is <= 0 or > 4096)
            {
                return $"implausible dimension count {Dimensions}";
            }

            if (RowCount <= 0 || SourceWordCount < RowCount)
            {
                return $"implausible word counts ({RowCount} rows of {SourceWordCount} source words)";
            }

            if (BlockRows <= 0 || 4L * BlockRows * Dimensions > int.MaxValue)
            {
                return $"implausible checksum block size {BlockRows}";
            }

            if (WordsByteLength < (2 * RowCount) - 1)
            {
                return $"the word list is too short ({WordsByteLength} bytes for {RowCount} words)";
            }

            return null;
        }
    }

    public static long AlignTo8(long value) => (value + 7) & ~7L;
}
