using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Telemetry;

/// <summary>
/// OTLP export by configuration, from a real silo process to a collector speaking OTLP over HTTP: one trace runs from
/// the HTTP request through Orleans' grain calls down to the SQLite writes, and HelaMem's metrics arrive beside it.
/// </summary>
public sealed class OtlpExportTests
{
    private const string OperatorKey = "e2e-operator-key-otlp-0123456789";
    private const int ServerKind = 2;
    private const int ClientKind = 3;

    [Fact]
    public async Task An_ingest_is_one_trace_from_the_http_request_through_grain_calls_to_sqlite_and_metrics_are_exported()
    {
        await using var collector = await OtlpCollector.StartAsync();
        using var data = new TempDirectory("helamem-e2e-otlp");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey, new Dictionary<string, string>
        {
            ["HelaMem__Telemetry__OtlpEndpoint"] = collector.Endpoint,
            ["HelaMem__Telemetry__OtlpProtocol"] = "http/protobuf",
            // OpenTelemetry's own settings: export spans every 200 ms and metrics every second, so the test need not wait.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        using var http = new HttpClient();
        using var operatorClient = new HelaMemClient(http, new HelaMemClientOptions { BaseAddress = silo.Url, OperatorKey = OperatorKey });
        var issued = await operatorClient.CreateTenantAsync(new CreateTenantRequest("otlp"));
        using var client = new HelaMemClient(http, new HelaMemClientOptions { BaseAddress = silo.Url, ApiKey = issued.ApiKey });
        await client.IngestAsync("u", Samples.Conversation());
        await client.SearchAsync("u", new SearchRequest("Rex the puppy"));

        var spans = await WaitForAsync(collector, s => s.Any(IsSearchRequest) && s.Any(IsIngestRequest) && s.Any(x => x.Name == "sqlite write"));
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var ingest = spans.First(IsIngestRequest);

        // Every SQLite write of the ingest descends from the request's span, through at least one Orleans grain call.
        var writes = spans.Where(s => s.TraceId == ingest.TraceId && s.Name == "sqlite write").ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, write =>
        {
            Assert.Equal(ClientKind, write.Kind);
            Assert.Equal("HelaMem.Persistence.Sqlite", write.Scope);
            var ancestors = Ancestors(write, byId).ToList();
            Assert.Contains(ingest, ancestors);
            Assert.Contains(ancestors, a => a.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        });

        Assert.Contains(spans, s => s.TraceId == ingest.TraceId && s.Name == "IUserGraphGrain/Ingest");
        Assert.NotEqual(ingest.TraceId, spans.First(IsSearchRequest).TraceId);

        var metrics = await WaitForMetricsAsync(collector, "helamem.search.duration");
        Assert.Contains("helamem.ingest.duration", metrics);
        Assert.Contains("helamem.storage.sqlite.commit.duration", metrics);
        Assert.Contains("http.server.request.duration", metrics);
    }

    private static bool IsIngestRequest(OtlpWire.Span span) =>
        span.Kind == ServerKind && span.Name.StartsWith("POST ", StringComparison.Ordinal) && span.Name.EndsWith("/messages", StringComparison.Ordinal);

    private static bool IsSearchRequest(OtlpWire.Span span) =>
        span.Kind == ServerKind && span.Name.StartsWith("POST ", StringComparison.Ordinal) && span.Name.EndsWith("/search", StringComparison.Ordinal);

    private static async Task<List<OtlpWire.Span>> WaitForAsync(OtlpCollector collector, Func<List<OtlpWire.Span>, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var spans = collector.Spans.ToList();
            if (done(spans) || attempt == 100)
            {
                return spans;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<List<string>> WaitForMetricsAsync(OtlpCollector collector, string metric)
    {
        for (var attempt = 0; ; attempt++)
        {
            var names = collector.MetricNames.ToList();
            if (names.Contains(metric) || attempt == 100)
            {
                Assert.Contains(metric, names);
                return names;
            }

            await Task.Delay(200);
        }
    }

    private static IEnumerable<OtlpWire.Span> Ancestors(OtlpWire.Span span, Dictionary<string, OtlpWire.Span> byId)
    {
        var current = span;
        while (current.ParentSpanId.Length > 0 && byId.TryGetValue(current.ParentSpanId, out var parent))
        {
            yield return parent;
            current = parent;
        }
    }
}
