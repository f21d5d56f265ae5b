using HelaMem.Grains.Diagnostics;
using HelaMem.Silo.Diagnostics;
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
    // The SQLite provider's meter (its metrics class is internal to the provider).
    private const string SqliteStorageMeter = "HelaMem.Persistence.Sqlite";
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
            metrics.AddMeter(SiloMetrics.MeterName, GrainMetrics.MeterName, SqliteStorageMeter)
                .AddMeter(OrleansMeters)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation();
            if (telemetry.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (telemetry.OtlpEndpoint is { } endpoint)
            {
                metrics.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint));
            }
        });
        if (telemetry.OtlpEndpoint is { } traceEndpoint)
        {
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(OrleansSources)
                .AddOtlpExporter(otlp => otlp.Endpoint = new Uri(traceEndpoint)));
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
