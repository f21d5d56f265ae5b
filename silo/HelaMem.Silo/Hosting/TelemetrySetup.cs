using HelaMem.Grains.Diagnostics;
using HelaMem.Persistence.Sqlite;
using HelaMem.Silo.Diagnostics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// OpenTelemetry: HelaMem's meters (API, grains, SQLite storage), Orleans', ASP.NET Core's and the runtime's; traces
/// from the HTTP request through Orleans' grain calls. Prometheus text at <c>/metrics</c> and OTLP export, each by
/// configuration (<see cref="TelemetryOptions"/>).
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>Orleans' meter and activity sources.</summary>
    private static readonly string[] OrleansMeters = ["Microsoft.Orleans"];
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static void AddHelaMemTelemetry(this IServiceCollection services, TelemetryOptions telemetry)
    {
        if (!telemetry.Prometheus && telemetry.OtlpEndpoint is null)
        {
            return;
        }

        var otel = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("helamem-silo"));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(SiloMetrics.MeterName, GrainMetrics.MeterName, SqliteGrainStorage.MeterName, HelaMem.Persistence.Postgres.PostgresGrainStorage.MeterName)
                .AddMeter(OrleansMeters)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation();
            if (telemetry.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (telemetry.OtlpEndpoint is { } endpoint)
            {
                metrics.AddOtlpExporter(otlp => UseOtlp(otlp, endpoint, telemetry.OtlpProtocol, "v1/metrics"));
            }
        });
        if (telemetry.OtlpEndpoint is { } traceEndpoint)
        {
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(OrleansSources)
                .AddSource(SqliteGrainStorage.ActivitySourceName)
                .AddOtlpExporter(otlp => UseOtlp(otlp, traceEndpoint, telemetry.OtlpProtocol, "v1/traces")));
        }
    }

    // Over gRPC the endpoint is the collector's address; over HTTP the exporter posts to the URL it is given as it is,
    // so the signal's path is appended here (as the OTEL_EXPORTER_OTLP_ENDPOINT convention does).
    private static void UseOtlp(OtlpExporterOptions otlp, string endpoint, string protocol, string signalPath)
    {
        if (protocol == TelemetryOptions.HttpProtobuf)
        {
            otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
            otlp.Endpoint = new Uri(endpoint.TrimEnd('/') + "/" + signalPath);
        }
        else
        {
            otlp.Protocol = OtlpExportProtocol.Grpc;
            otlp.Endpoint = new Uri(endpoint);
        }
    }

    /// <summary>Maps <c>/metrics</c> when Prometheus is on.</summary>
    public static void MapHelaMemTelemetry(this WebApplication app, TelemetryOptions telemetry)
    {
        if (telemetry.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }
    }
}
