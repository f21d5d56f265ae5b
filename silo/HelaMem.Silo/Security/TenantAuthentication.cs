using HelaMem.Abstractions.Keys;
using HelaMem.Abstractions.Tenancy;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Mcp;

namespace HelaMem.Silo.Security;

/// <summary>
/// Authenticates every <c>/v1</c> and MCP (<c>/mcp</c>) request before routing, rate limiting and body reading:
/// operator routes (<c>/v1/admin</c>) need the operator key, all others a tenant API key. The tenant is taken from the key only
/// and set on the request context, so every grain call made for the request carries it.
/// </summary>
internal sealed class TenantAuthentication(RequestDelegate next, IGrainFactory grains, OperatorKey operatorKey, ILogger<TenantAuthentication> logger)
{
    private const string TenantItem = "helamem.tenant";

    /// <summary>The authenticated tenant of a tenant route.</summary>
    public static string TenantOf(HttpContext context) =>
        context.Items[TenantItem] as string ?? throw new InvalidOperationException("The request was not authenticated as a tenant.");

    /// <summary>The tenant, or null (operator routes, unauthenticated paths).</summary>
    public static string? TryTenantOf(HttpContext context) => context.Items[TenantItem] as string;

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/v1", StringComparison.Ordinal) && !path.StartsWithSegments(McpEndpoint.Path, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var presented = BearerToken(context.Request);
        if (path.StartsWithSegments("/v1/admin", StringComparison.Ordinal))
        {
            if (presented is null || !ApiKeys.SecretsEqual(presented, operatorKey.Value))
            {
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "Operator routes need the operator key: 'Authorization: Bearer <HELAMEM_OPERATOR_KEY>'.");
                return;
            }

            await next(context);
            return;
        }

        if (presented is null || !ApiKeys.TryParse(presented, out var tenant, out var keyId, out var secret) || !IsValidTenant(tenant))
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "A tenant API key is required: 'Authorization: Bearer <HELAMEM_API_KEY>'.");
            return;
        }

        var check = await grains.GetGrain<ITenantAccessGrain>(tenant).Verify(keyId, ApiKeys.Hash(secret));
        if (check == KeyCheck.Invalid)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "The API key is not valid (unknown, revoked or mistyped).");
            return;
        }

        if (check == KeyCheck.TenantDisabled)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Tenant disabled", $"Tenant '{tenant}' is disabled; ask the operator to enable it.");
            return;
        }

        context.Items[TenantItem] = tenant;
        // Orleans' request context travels with every grain call this request makes; the tenant isolation filter on
        // the receiving silo refuses any call to another tenant's grains.
        TenantContext.Set(tenant);
        try
        {
            await next(context);
        }
        finally
        {
            TenantContext.Clear();
        }
    }

    private static bool IsValidTenant(string tenant)
    {
        try
        {
            KeySegment.Validate(tenant, "tenant");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    private async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        SiloLog.AuthenticationFailed(logger, context.Request.Method, context.Request.Path, title);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
