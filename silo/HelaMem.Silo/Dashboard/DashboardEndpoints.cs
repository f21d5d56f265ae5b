using System.Net;
using HelaMem.Silo.Api;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Security;
using Orleans.Dashboard;

namespace HelaMem.Silo.Dashboard;

/// <summary>
/// The operators' dashboard under <c>/dashboard</c>: HelaMem's page (<c>/dashboard/</c>) with its data
/// (<c>/dashboard/stats</c>, the JSON of <c>GET /v1/admin/stats</c>), the sign-in form, and the Orleans Dashboard at
/// <c>/dashboard/orleans/</c>. <see cref="DashboardAccess"/> guards them all; none is part of the API's OpenAPI document.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Where the dashboard lives.</summary>
    public const string Root = "/dashboard";

    /// <summary>The sign-in form, under <see cref="Root"/>.</summary>
    public const string LoginPath = "/login";

    /// <summary>The stylesheet (open: the sign-in form uses it), under <see cref="Root"/>.</summary>
    public const string StylesheetPath = "/helamem.css";

    /// <summary>The icon (open, like the stylesheet), under <see cref="Root"/>.</summary>
    public const string IconPath = "/favicon.svg";

    /// <summary>The Orleans Dashboard, under <see cref="Root"/>.</summary>
    public const string OrleansPath = "/orleans";

    /// <summary>The rate-limit policy of the sign-in form: attempts per client address.</summary>
    public const string SignInPolicy = "dashboard-sign-in";

    private const string FormField = "key";

    /// <summary>The sign-in form's address, returning to <paramref name="returnTo"/> after it.</summary>
    public static string LoginUrl(string returnTo) => $"{Root}{LoginPath}?returnUrl={Uri.EscapeDataString(returnTo)}";

    /// <summary>The Orleans Dashboard's services on the silo (call when the dashboard is enabled).</summary>
    public static void AddOrleansDashboard(ISiloBuilder silo) => silo.AddDashboard();

    /// <summary>The guard, placed before rate limiting so that requests without the operator key spend no operator tokens.</summary>
    public static void UseOperatorDashboardAccess(this WebApplication app) => app.UseMiddleware<DashboardAccess>();

    /// <summary>Maps the pages, their data, the sign-in form and the Orleans Dashboard.</summary>
    public static void MapOperatorDashboard(this WebApplication app)
    {
        var dashboard = app.MapGroup(Root).ExcludeFromDescription();
        var pages = dashboard.MapGroup("").RequireRateLimiting(TenantRateLimiting.OperatorPolicy);
        pages.MapGet("/", (HttpContext context) => DashboardAssets.Serve(context, "index.html", "text/html; charset=utf-8"));
        pages.MapGet("/helamem.js", (HttpContext context) => DashboardAssets.Serve(context, "helamem.js", "text/javascript; charset=utf-8"));
        pages.MapGet("/stats", async (ClusterActivityService stats) => TypedResults.Ok(await stats.StatsAsync()));
        pages.MapPost("/logout", (HttpContext context) =>
        {
            DashboardSession.SignOut(context);
            return Results.Redirect(Root + LoginPath, permanent: false, preserveMethod: false);
        });

        var signIn = dashboard.MapGroup("").RequireRateLimiting(SignInPolicy);
        signIn.MapGet(StylesheetPath, (HttpContext context) => DashboardAssets.Serve(context, "helamem.css", "text/css; charset=utf-8"));
        signIn.MapGet(IconPath, (HttpContext context) => DashboardAssets.Serve(context, "favicon.svg", "image/svg+xml"));
        signIn.MapGet(LoginPath, (HttpContext context, string? returnUrl) => LoginPage(context, returnUrl, error: null));
        signIn.MapPost(LoginPath, SignInAsync);

        app.MapOrleansDashboard(Root + OrleansPath).ExcludeFromDescription().RequireRateLimiting(TenantRateLimiting.OperatorPolicy);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, DashboardSession session, OperatorKey operatorKey)
    {
        if (!context.Request.HasFormContentType)
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the sign-in form as 'application/x-www-form-urlencoded' with the field 'key'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        var key = form[FormField].ToString().Trim();
        if (key.Length == 0 || !ApiKeys.SecretsEqual(key, operatorKey.Value))
        {
            // The form again with the reason, as a page (200): the browser shows it like any form with an error.
            return LoginPage(context, returnUrl, key.Length == 0 ? "Enter the operator key." : "That is not this silo's operator key.");
        }

        session.SignIn(context);
        return Results.Redirect(SafeReturn(returnUrl), permanent: false, preserveMethod: false);
    }

    private static IResult LoginPage(HttpContext context, string? returnUrl, string? error)
    {
        var html = DashboardAssets.Text("login.html")
            .Replace("{{returnUrl}}", WebUtility.HtmlEncode(SafeReturn(returnUrl)), StringComparison.Ordinal)
            .Replace("{{error}}", WebUtility.HtmlEncode(error ?? ""), StringComparison.Ordinal)
            .Replace("{{errorHidden}}", error is null ? "hidden" : "", StringComparison.Ordinal);
        context.Response.Headers.ContentSecurityPolicy = DashboardAssets.ContentSecurityPolicy;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    // Only a page of the dashboard itself (never another site, nor "//host" or "/\host", which browsers read as one).
    private static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith(Root, StringComparison.Ordinal)
            && !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            && !url.StartsWith(Root + LoginPath, StringComparison.Ordinal)
            ? url
            : Root + "/";
}
