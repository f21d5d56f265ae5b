using System.Globalization;
using System.Text.Json;

namespace HelaMem.Embeddings.Glove;

/// <summary>What a conversion produced.</summary>
/// <param name="Dimensions">Components per vector.</param>
/// <param name="SourceWordCount">Words in the package's frequency list.</param>
/// <param name="Rows">Rows written (the words a token can match).</param>
internal readonly record struct ConversionSummary(int Dimensions, int SourceWordCount, int Rows);

/// <summary>
/// Converts wink-embeddings JSON into the binary cache while streaming: the JSON is read in 1 MB chunks with a
/// resumable <see cref="Utf8JsonReader"/>, so the 307 MB document is never held in memory; only the kept vectors
/// (as floats, about 130 MB for the real package) are, because the rows must be written in frequency order.
/// </summary>
internal static class WinkJsonConverter
{
    private const int ChunkSize = 1 << 20;
    private const int ProgressEvery = 50_000;

    public static async Task<ConversionSummary> ConvertAsync(Stream json, Stream output, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(output);
        var parser = new WinkJsonParser();
        var readerState = new JsonReaderState(new JsonReaderOptions { MaxDepth = 16 });
        var buffer = new byte[ChunkSize];
        var filled = 0;
        var endOfInput = false;
        var nextReport = ProgressEvery;
        while (true)
        {
            if (!endOfInput)
            {
                var read = await json.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                endOfInput = read == 0;
                filled += read;
            }

            var consumed = ProcessChunk(buffer.AsSpan(0, filled), endOfInput, ref readerState, parser);
            var leftover = filled - consumed;
            buffer.AsSpan(consumed, leftover).CopyTo(buffer);
            filled = leftover;
            if (parser.VectorCount >= nextReport)
            {
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"Converted {parser.VectorCount:N0} word vectors..."));
                nextReport += ProgressEvery;
            }

            if (parser.IsComplete)
            {
                // Only whitespace may follow the root object; read to the end to be sure.
                if (!IsWhitespace(buffer.AsSpan(0, filled)))
                {
                    throw new InvalidDataException("The wink embeddings JSON has unexpected content after its root object.");
                }

                filled = 0;
            }

            if (endOfInput)
            {
                break;
            }

            if (filled == buffer.Length)
            {
                // One token larger than the buffer: grow it (never happens with real data, but must not loop forever).
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        var (words, ranks, slots, sourceWordCount) = parser.Finish();
        var dimensions = parser.Dimensions!.Value;
        GloveCacheWriter.Write(output, dimensions, sourceWordCount, words, ranks, row => parser.Vector(slots[row]));
        return new ConversionSummary(dimensions, sourceWordCount, words.Count);
    }

    private static int ProcessChunk(ReadOnlySpan<byte> data, bool isFinalBlock, ref JsonReaderState state, WinkJsonParser parser)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock, state);
        try
        {
            while (!parser.IsComplete && reader.Read())
            {
                parser.OnToken(ref reader);
            }
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The wink embeddings JSON is malformed: {exception.Message}", exception);
        }

        state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
