namespace HelaMem.Silo.Hosting;

/// <summary>Metrics and traces (section <c>HelaMem:Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>Serve the metrics in Prometheus text format at <c>/metrics</c> (default true; no key: bind it to a trusted network).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>An OTLP endpoint (for example http://collector:4317) to export metrics and traces to; null: no export.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// How to speak OTLP to <see cref="OtlpEndpoint"/>: <c>grpc</c> (the default, port 4317 by convention) or
    /// <c>http/protobuf</c> (port 4318; the silo appends <c>/v1/traces</c> and <c>/v1/metrics</c> to the endpoint).
    /// </summary>
    public string OtlpProtocol { get; set; } = Grpc;

    /// <summary>The <see cref="OtlpProtocol"/> value for OTLP over gRPC.</summary>
    public const string Grpc = "grpc";

    /// <summary>The <see cref="OtlpProtocol"/> value for OTLP over HTTP with protobuf bodies.</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>Why the settings are invalid, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (OtlpProtocol is not (Grpc or HttpProtobuf))
        {
            yield return $"HelaMem:Telemetry:OtlpProtocol is '{OtlpProtocol}'; it must be '{Grpc}' or '{HttpProtobuf}'.";
        }

        if (OtlpEndpoint is { } endpoint && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"HelaMem:Telemetry:OtlpEndpoint '{endpoint}' is not an http or https URL.";
        }
    }
}
