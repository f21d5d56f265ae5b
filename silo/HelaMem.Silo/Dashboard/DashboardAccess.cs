using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Security;

namespace HelaMem.Silo.Dashboard;

/// <summary>
/// Guards everything under <c>/dashboard</c> (HelaMem's page, its data and the Orleans Dashboard with its API): a
/// request needs the sign-in cookie or <c>Authorization: Bearer &lt;operator key&gt;</c>. Without either, a browser
/// navigating to a page is sent to the sign-in form; any other request gets a 401 problem. The sign-in form, its
/// stylesheet and the icon are open.
/// </summary>
internal sealed class DashboardAccess(RequestDelegate next, DashboardSession session, OperatorKey operatorKey, ILogger<DashboardAccess> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(DashboardEndpoints.Root, StringComparison.Ordinal, out var rest))
        {
            await next(context);
            return;
        }

        // Operator pages: never cached, never framed, no referrer leaves them.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (rest == DashboardEndpoints.LoginPath || rest == DashboardEndpoints.StylesheetPath || rest == DashboardEndpoints.IconPath)
        {
            await next(context);
            return;
        }

        if (session.IsSignedIn(request) || HasOperatorBearer(request))
        {
            await next(context);
            return;
        }

        SiloLog.DashboardRefused(logger, request.Method, request.Path, "no operator sign-in");
        if (HttpMethods.IsGet(request.Method) && WantsHtml(request))
        {
            context.Response.Redirect(DashboardEndpoints.LoginUrl(request.Path + request.QueryString));
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: $"The dashboard needs the operator key: sign in at {DashboardEndpoints.Root}{DashboardEndpoints.LoginPath} or send 'Authorization: Bearer <HELAMEM_OPERATOR_KEY>'.").ExecuteAsync(context);
    }

    private bool HasOperatorBearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && ApiKeys.SecretsEqual(header[scheme.Length..].Trim(), operatorKey.Value);
    }

    // A browser's navigation asks for HTML; the pages' scripts ask for JSON.
    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(accept => accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase));
}
