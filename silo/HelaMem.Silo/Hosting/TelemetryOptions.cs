namespace HelaMem.Silo.Hosting;

/// <summary>Metrics and traces (section <c>HelaMem:Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>Serve the metrics in Prometheus text format at <c>/metrics</c> (default true; no key: bind it to a trusted network).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>An OTLP endpoint (for example http://collector:4317) to export metrics and traces to; null: no export.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Why the settings are invalid, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (OtlpEndpoint is { } endpoint && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"HelaMem:Telemetry:OtlpEndpoint '{endpoint}' is not an http or https URL.";
        }
    }
}
