using System.Threading.RateLimiting;
using HelaMem.Silo.Diagnostics.Activity;
using HelaMem.Silo.Security;

namespace HelaMem.Silo.Api;

/// <summary>
/// The tenants' token buckets, shared by the rate-limiting middleware (one token per request) and the routes whose
/// request stands for several operations (a batch search takes one token per search).
/// </summary>
internal sealed class TenantRequestLimiter(PartitionedRateLimiter<HttpContext> buckets, TimeSpan period, int bucketSize, ActivityRecorder activity)
{
    /// <summary>The per-tenant buckets.</summary>
    public PartitionedRateLimiter<HttpContext> Buckets => buckets;

    /// <summary>Takes <paramref name="tokens"/> more tokens from the request's tenant; a 429 (with Retry-After) when it has not enough.</summary>
    public void Charge(HttpContext context, int tokens)
    {
        if (tokens <= 0)
        {
            return;
        }

        var tenant = TenantAuthentication.TryTenantOf(context) ?? "";
        if (tokens > bucketSize)
        {
            activity.Refused(tenant);
            throw new ApiProblemException(StatusCodes.Status429TooManyRequests, "Rate limit exceeded",
                $"This request costs {tokens + 1} requests, more than tenant '{tenant}' may send at once ({bucketSize}); split it.", "rateLimit");
        }

        using var lease = buckets.AttemptAcquire(context, tokens);
        if (lease.IsAcquired)
        {
            return;
        }

        activity.Refused(tenant);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : period;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        throw new ApiProblemException(StatusCodes.Status429TooManyRequests, "Rate limit exceeded", TenantRateLimiting.Refusal(tenant, seconds), "rateLimit")
        {
            RetryAfterSeconds = seconds,
        };
    }
}
