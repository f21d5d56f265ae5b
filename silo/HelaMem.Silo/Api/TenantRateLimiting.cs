using System.Globalization;
using System.Threading.RateLimiting;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace HelaMem.Silo.Api;

/// <summary>Per-tenant token buckets over every tenant route; a refusal is a 429 problem with Retry-After.</summary>
internal static class TenantRateLimiting
{
    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services, RateLimitOptions limits)
    {
        var period = TimeSpan.FromSeconds(limits.PeriodSeconds);
        var limiter = new TenantRequestLimiter(PartitionedRateLimiter.Create<HttpContext, string>(context =>
            TenantAuthentication.TryTenantOf(context) is { } tenant
                ? RateLimitPartition.GetTokenBucketLimiter(tenant, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.TokenLimit,
                    TokensPerPeriod = limits.TokensPerPeriod,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter("")), period, limits.TokenLimit);
        services.AddSingleton(limiter);
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = limiter.Buckets;
            options.OnRejected = (rejected, _) => RejectAsync(rejected, period);
        });
    }

    /// <summary>The 429 the limiter's own refusals and <see cref="TenantRequestLimiter.Charge"/> give, in one wording.</summary>
    internal static string Refusal(string tenant, int seconds) => $"Tenant '{tenant}' sent too many requests; retry after {seconds} s.";

    private static async ValueTask RejectAsync(OnRejectedContext rejected, TimeSpan period)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : period;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var tenant = TenantAuthentication.TryTenantOf(context) ?? "";
        SiloLog.RateLimited(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Silo.RateLimiting"), tenant, context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Rate limit exceeded",
            detail: Refusal(tenant, seconds),
            extensions: new Dictionary<string, object?> { ["quota"] = "rateLimit" }).ExecuteAsync(context);
    }
}
