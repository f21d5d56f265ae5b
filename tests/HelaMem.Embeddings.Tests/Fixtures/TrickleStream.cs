namespace HelaMem.Embeddings.Tests.Fixtures;

/// <summary>A read-only stream that returns at most a few bytes per read, so every JSON token straddles reads.</summary>
public sealed class TrickleStream(byte[] data, int maxBytesPerRead) : Stream
{
    private int position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Vary the chunk size (1..max) deterministically so boundaries fall everywhere.
        var size = Math.Min(Math.Min(buffer.Length, data.Length - position), 1 + (position % maxBytesPerRead));
        data.AsSpan(position, size).CopyTo(buffer);
        position += size;
        return size;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
