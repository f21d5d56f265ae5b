using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Telemetry;

/// <summary>
/// A stand-in OpenTelemetry collector on a loopback port: it accepts OTLP over HTTP (<c>POST /v1/traces</c> and
/// <c>/v1/metrics</c> with protobuf bodies, as the protocol's HTTP binding defines) and keeps every request body.
/// </summary>
internal sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _traces = new();
    private readonly ConcurrentQueue<byte[]> _metrics = new();

    private OtlpCollector(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base address to configure as the OTLP endpoint (the exporter appends the signal's path).</summary>
    public string Endpoint { get; }

    public IEnumerable<OtlpWire.Span> Spans => _traces.SelectMany(OtlpWire.Spans);

    public IEnumerable<string> MetricNames => _metrics.SelectMany(OtlpWire.MetricNames).Distinct();

    public static async Task<OtlpCollector> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new OtlpCollector(app, $"http://127.0.0.1:{port}");
        app.MapPost("/v1/traces", (HttpRequest request) => AcceptAsync(request, collector._traces));
        app.MapPost("/v1/metrics", (HttpRequest request) => AcceptAsync(request, collector._metrics));
        await app.StartAsync();
        return collector;
    }

    private static async Task<IResult> AcceptAsync(HttpRequest request, ConcurrentQueue<byte[]> into)
    {
        if (request.ContentType != "application/x-protobuf")
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        into.Enqueue(body.ToArray());

        // An empty ExportTraceServiceResponse / ExportMetricsServiceResponse: everything accepted.
        return Results.Bytes([], "application/x-protobuf");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
