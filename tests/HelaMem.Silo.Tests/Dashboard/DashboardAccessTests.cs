using System.Net;
using System.Net.Http.Headers;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HelaMem.Silo.Tests.Dashboard;

/// <summary>
/// Who reaches the dashboard (<c>/dashboard</c>: HelaMem's page, its data, the Orleans Dashboard): the operator's
/// sign-in cookie or the operator key as a bearer token; a browser without either is sent to the sign-in form, any
/// other request gets a 401 problem; a tenant key, a wrong key or a forged cookie never gets in.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class DashboardAccessTests(SiloFactory silo)
{
    private static readonly string[] GuardedPaths = ["/dashboard/", "/dashboard/stats", "/dashboard/helamem.js", "/dashboard/orleans/", "/dashboard/orleans/DashboardCounters", "/dashboard/orleans/ClusterStats"];

    [Fact]
    public async Task Without_the_operator_key_a_browser_is_sent_to_sign_in_and_a_script_gets_401()
    {
        var (_, tenantKey, tenantHttp) = await silo.CreateTenantAsync("dash");
        tenantHttp.Dispose();
        foreach (var key in new[] { null, tenantKey, "not-the-operator-key-at-all" })
        {
            using var http = Client(key);
            foreach (var path in GuardedPaths)
            {
                using var page = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
                page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
                var navigation = await http.SendAsync(page);
                Assert.Equal(HttpStatusCode.Redirect, navigation.StatusCode);
                Assert.Equal($"/dashboard/login?returnUrl={Uri.EscapeDataString(path)}", navigation.Headers.Location?.OriginalString);

                using var data = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
                data.Headers.Accept.ParseAdd("application/json");
                var problem = await (await http.SendAsync(data)).ProblemAsync(HttpStatusCode.Unauthorized);
                Assert.Contains("operator key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_operator_key_as_bearer_token_opens_every_part()
    {
        using var http = Client(silo.ConfiguredOperatorKey);
        foreach (var path in GuardedPaths)
        {
            var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        var stats = await (await http.GetAsync(new Uri("/dashboard/stats", UriKind.Relative))).ReadAsync<OperatorStats>(HttpStatusCode.OK);
        Assert.Contains(stats.Silos, s => s.Status == "Active");
        var page = await http.GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Signing_in_sets_an_http_only_strict_cookie_that_opens_the_dashboard_until_sign_out()
    {
        using var http = Client(null);
        var wrong = await http.PostAsync(new Uri("/dashboard/login", UriKind.Relative), Form("nope-nope-nope-nope", "/dashboard/"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("That is not this silo&#39;s operator key.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        var signedIn = await http.PostAsync(new Uri("/dashboard/login", UriKind.Relative), Form(silo.ConfiguredOperatorKey, "/dashboard/orleans/"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard/orleans/", signedIn.Headers.Location?.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        var value = cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];

        Assert.Equal(HttpStatusCode.OK, (await WithCookie(http, "/dashboard/stats", value)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(http, "/dashboard/orleans/DashboardCounters", value)).StatusCode);

        // The cookie is the dashboard's only: the API still wants the operator key itself.
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(http, "/v1/admin/stats", value)).StatusCode);

        // A forged expiry, or a cookie signed under another operator key, is refused.
        var expires = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..value.IndexOf('.', StringComparison.Ordinal)];
        var forged = value.Replace(expires + ".", (long.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) + 3600) + ".", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(http, "/dashboard/stats", forged)).StatusCode);

        using var signOut = new HttpRequestMessage(HttpMethod.Post, new Uri("/dashboard/logout", UriKind.Relative));
        signOut.Headers.Add("Cookie", value);
        var signedOut = await http.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("helamem_dashboard=;", signedOut.Headers.GetValues("Set-Cookie").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_form_only_returns_to_a_dashboard_page()
    {
        using var http = Client(null);
        foreach (var target in new[] { "https://evil.example/", "//evil.example/dashboard", "/dashboard//evil.example", "/v1/admin/tenants", "/dashboard/\\evil" })
        {
            var form = await http.GetStringAsync(new Uri($"/dashboard/login?returnUrl={Uri.EscapeDataString(target)}", UriKind.Relative));
            Assert.Contains("name=\"returnUrl\" value=\"/dashboard/\"", form, StringComparison.Ordinal);
            var signedIn = await http.PostAsync(new Uri("/dashboard/login", UriKind.Relative), Form(silo.ConfiguredOperatorKey, target));
            Assert.Equal("/dashboard/", signedIn.Headers.Location?.OriginalString);
        }

        var notForm = await http.PostAsync(new Uri("/dashboard/login", UriKind.Relative), Http.Json("""{"key": "x"}"""));
        var problem = await notForm.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'key'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private HttpClient Client(string? key)
    {
        var http = silo.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    private static FormUrlEncodedContent Form(string key, string returnUrl) =>
        new([new KeyValuePair<string, string>("key", key), new KeyValuePair<string, string>("returnUrl", returnUrl)]);

    private static Task<HttpResponseMessage> WithCookie(HttpClient http, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        request.Headers.Accept.ParseAdd("application/json");
        return http.SendAsync(request);
    }
}

/// <summary>A silo with <c>HelaMem:Dashboard:Enabled=false</c> serves nothing under /dashboard, and the API's stats still.</summary>
public sealed class DashboardDisabledTests : IAsyncLifetime
{
    private readonly SiloFactory _silo = new(new Dictionary<string, string?> { ["HelaMem:Dashboard:Enabled"] = "false" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Nothing_is_served_under_dashboard()
    {
        using var http = _silo.OperatorHttp();
        foreach (var path in new[] { "/dashboard/", "/dashboard/login", "/dashboard/stats", "/dashboard/orleans/", "/dashboard/orleans/DashboardCounters" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/admin/stats", UriKind.Relative))).StatusCode);
    }
}
