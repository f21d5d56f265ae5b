using HelaMem.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HelaMem.Silo.Api;

/// <summary>Liveness (the process answers) and readiness (the silo serves grain calls).</summary>
internal static class HealthEndpoints
{
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<SiloReadiness>("silo", tags: ["ready"]);
        return services;
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        routes.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
    }

    private sealed class SiloReadiness(SiloRuntime silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(silo.IsReady
                ? HealthCheckResult.Healthy($"Silo {silo.Address} is active.")
                : HealthCheckResult.Unhealthy($"Silo {silo.Address} is {silo.Status}."));
    }
}
