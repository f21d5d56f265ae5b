using HelaMem.Embeddings.Glove;

namespace HelaMem.Embeddings.Tests.Fixtures;

/// <summary>Byte-level surgery on cache files, to prove that damage is detected.</summary>
public static class CacheFile
{
    public static long VectorsOffset(string path) => ReadHeader(path).VectorsOffset;

    public static long WordsOffset(string path) => ReadHeader(path).WordsOffset;

    public static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x40));
    }

    public static void WriteInt32(string path, long offset, int value)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        file.Write(BitConverter.GetBytes(value));
    }

    public static void SetLength(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.SetLength(length);
    }

    private static GloveCacheFormat.Header ReadHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return GloveCacheFormat.Header.TryRead(bytes) ?? throw new InvalidOperationException("not a cache");
    }
}
