using System.Globalization;
using System.Threading.RateLimiting;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Diagnostics.Activity;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace HelaMem.Silo.Api;

/// <summary>
/// Per-tenant token buckets over every tenant route; a refusal is a 429 problem with Retry-After. Operator routes that
/// work through one tenant's memory (listing its owners, deleting it) take the <see cref="OperatorPolicy"/>: a bucket of
/// the same size per tenant they act on, apart from the tenant's own, so neither starves the other; operator routes
/// that act on no tenant (the cluster's stats, polled by the operators' page) share one such bucket.
/// </summary>
internal static class TenantRateLimiting
{
    /// <summary>The policy of the operator routes that act on one tenant's memory (<c>/v1/admin/tenants/{tenant}/...</c>).</summary>
    public const string OperatorPolicy = "operator-per-tenant";

    /// <summary>Sign-in attempts (and loads of the form) a client address may make per minute.</summary>
    public const int SignInAttemptsPerMinute = 20;

    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services, RateLimitOptions limits, ActivityRecorder activity)
    {
        var period = TimeSpan.FromSeconds(limits.PeriodSeconds);
        TokenBucketRateLimiterOptions Bucket(string _) => new()
        {
            TokenLimit = limits.TokenLimit,
            TokensPerPeriod = limits.TokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };

        var limiter = new TenantRequestLimiter(PartitionedRateLimiter.Create<HttpContext, string>(context =>
            TenantAuthentication.TryTenantOf(context) is { } tenant
                ? RateLimitPartition.GetTokenBucketLimiter(tenant, Bucket)
                : RateLimitPartition.GetNoLimiter("")), period, limits.TokenLimit, activity);
        services.AddSingleton(limiter);
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = limiter.Buckets;
            options.AddPolicy(OperatorPolicy, context =>
                RateLimitPartition.GetTokenBucketLimiter("admin/" + OperatedTenant(context), Bucket));
            // The dashboard's sign-in form: attempts per client address (the operator key is too long to guess, and
            // this keeps a script from trying).
            options.AddPolicy(Dashboard.DashboardEndpoints.SignInPolicy, context =>
                RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.OnRejected = (rejected, _) => RejectAsync(rejected, period, activity);
        });
    }

    /// <summary>The 429 the limiter's own refusals and <see cref="TenantRequestLimiter.Charge"/> give, in one wording.</summary>
    internal static string Refusal(string tenant, int seconds) => $"Tenant '{tenant}' sent too many requests; retry after {seconds} s.";

    // The tenant an operator route acts on (its route value).
    private static string OperatedTenant(HttpContext context) => context.Request.RouteValues["tenant"] as string ?? "";

    private static async ValueTask RejectAsync(OnRejectedContext rejected, TimeSpan period, ActivityRecorder activity)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : period;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var tenant = TenantAuthentication.TryTenantOf(context);
        var operated = OperatedTenant(context);
        var who = tenant is not null ? $"Tenant '{tenant}' sent too many requests"
            : context.Request.Path.StartsWithSegments(Dashboard.DashboardEndpoints.Root + Dashboard.DashboardEndpoints.LoginPath, StringComparison.Ordinal)
                || context.Request.Path.StartsWithSegments(Dashboard.DashboardEndpoints.Root + Dashboard.DashboardEndpoints.StylesheetPath, StringComparison.Ordinal)
                || context.Request.Path.StartsWithSegments(Dashboard.DashboardEndpoints.Root + Dashboard.DashboardEndpoints.IconPath, StringComparison.Ordinal)
                ? $"This address tried to sign in to the dashboard more than {SignInAttemptsPerMinute} times a minute"
            : operated.Length == 0 ? "The operator sent too many requests"
            : $"The operator sent too many requests about tenant '{operated}'";
        if (tenant is not null)
        {
            activity.Refused(tenant);
        }

        SiloLog.RateLimited(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Silo.RateLimiting"), tenant ?? OperatedTenant(context), context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Rate limit exceeded",
            detail: $"{who}; retry after {seconds} s.",
            extensions: new Dictionary<string, object?> { ["quota"] = "rateLimit" }).ExecuteAsync(context);
    }
}
