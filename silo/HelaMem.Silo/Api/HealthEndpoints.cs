using HelaMem.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HelaMem.Silo.Api;

/// <summary>Liveness (the process answers) and readiness (the silo serves grain calls).</summary>
/// <remarks>
/// Route handlers rather than <c>MapHealthChecks</c>, so that the OpenAPI document describes them; they answer as the
/// health check middleware does: <c>Healthy</c>/<c>Degraded</c> with 200, <c>Unhealthy</c> with 503, as text/plain.
/// </remarks>
internal static class HealthEndpoints
{
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<SiloReadiness>("silo", tags: ["ready"]);
        return services;
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", (HealthCheckService checks, HttpContext context, CancellationToken cancel) => AnswerAsync(checks, context, _ => false, cancel))
            .WithName("Live").WithSummary("Liveness: the process answers (no key needed).").ProducesStatus();
        health.MapGet("/ready", (HealthCheckService checks, HttpContext context, CancellationToken cancel) => AnswerAsync(checks, context, check => check.Tags.Contains("ready"), cancel))
            .WithName("Ready").WithSummary("Readiness: the silo serves grain calls (no key needed).").ProducesStatus();
    }

    private static RouteHandlerBuilder ProducesStatus(this RouteHandlerBuilder route) =>
        route.Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");

    private static async Task AnswerAsync(HealthCheckService checks, HttpContext context, Func<HealthCheckRegistration, bool> predicate, CancellationToken cancel)
    {
        var report = await checks.CheckHealthAsync(predicate, cancel);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(report.Status.ToString(), cancel);
    }

    private sealed class SiloReadiness(SiloRuntime silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(silo.IsReady
                ? HealthCheckResult.Healthy($"Silo {silo.Address} is active.")
                : HealthCheckResult.Unhealthy($"Silo {silo.Address} is {silo.Status}."));
    }
}
