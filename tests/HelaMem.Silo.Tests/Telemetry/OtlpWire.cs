namespace HelaMem.Silo.Tests.Telemetry;

/// <summary>
/// Just enough of the protobuf wire format to read what an OTLP exporter sends: spans (trace id, span id, parent, name,
/// kind, scope) out of an <c>ExportTraceServiceRequest</c> and metric names out of an <c>ExportMetricsServiceRequest</c>,
/// by the field numbers of opentelemetry-proto's trace/v1 and metrics/v1 messages.
/// </summary>
internal static class OtlpWire
{
    public sealed record Span(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string Scope);

    /// <summary>The spans of an ExportTraceServiceRequest: resource_spans(1) → scope_spans(2) → scope(1).name(1), spans(2).</summary>
    public static IEnumerable<Span> Spans(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                var scope = Fields(scopeSpans, 1).Select(s => Text(Fields(s, 1).FirstOrDefault())).FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return new Span(
                        Hex(Fields(span, 1).FirstOrDefault()),
                        Hex(Fields(span, 2).FirstOrDefault()),
                        Hex(Fields(span, 4).FirstOrDefault()),
                        Text(Fields(span, 5).FirstOrDefault()),
                        (int)Varints(span, 6).FirstOrDefault(),
                        scope);
                }
            }
        }
    }

    /// <summary>The metric names of an ExportMetricsServiceRequest: resource_metrics(1) → scope_metrics(2) → metrics(2).name(1).</summary>
    public static IEnumerable<string> MetricNames(byte[] request) =>
        from resourceMetrics in Fields(request, 1)
        from scopeMetrics in Fields(resourceMetrics, 2)
        from metric in Fields(scopeMetrics, 2)
        select Text(Fields(metric, 1).FirstOrDefault());

    // The length-delimited fields numbered `field` of one message.
    private static IEnumerable<byte[]> Fields(byte[] message, int field) =>
        Read(message).Where(f => f.Number == field && f.Bytes is not null).Select(f => f.Bytes!);

    private static IEnumerable<ulong> Varints(byte[] message, int field) =>
        Read(message).Where(f => f.Number == field && f.Bytes is null).Select(f => f.Value);

    private static List<(int Number, byte[]? Bytes, ulong Value)> Read(byte[] message)
    {
        var fields = new List<(int, byte[]?, ulong)>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((number, null, ReadVarint(message, ref position)));
                    break;
                case 1:
                    fields.Add((number, null, BitConverter.ToUInt64(message, position)));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add((number, message[position..(position + length)], 0));
                    position += length;
                    break;
                case 5:
                    fields.Add((number, null, BitConverter.ToUInt32(message, position)));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Wire type {tag & 7} at byte {position} is not one OTLP uses.");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    private static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexString(bytes);
}
