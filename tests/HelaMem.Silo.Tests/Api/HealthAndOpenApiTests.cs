using System.Net;
using System.Text.Json;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(SiloHostGroup.Name)]
public sealed class HealthAndOpenApiTests(SiloFactory silo)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy_without_a_key(string path)
    {
        using var http = silo.CreateClient();
        var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_document_describes_every_route()
    {
        using var http = silo.CreateClient();
        var response = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/v1/users/{user}/messages", "/v1/users/{user}/search", "/v1/users/{user}/usage", "/v1/users/{user}/profile",
            "/v1/users/{user}/memories", "/v1/users/{user}/memories/{id}", "/v1/users/{user}/consolidate", "/v1/users/{user}/stats",
            "/v1/admin/tenants", "/v1/admin/tenants/{tenant}", "/v1/admin/tenants/{tenant}/disable", "/v1/admin/tenants/{tenant}/enable",
            "/v1/admin/tenants/{tenant}/keys", "/v1/admin/tenants/{tenant}/keys/{keyId}", "/v1/admin/tenants/{tenant}/stats", "/v1/admin/cluster",
        ];
        Assert.All(expected, path => Assert.Contains(path, paths));
        Assert.Contains(paths, p => p.StartsWith("/v1/users/{user}", StringComparison.Ordinal) && document.RootElement.GetProperty("paths").GetProperty(p).TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task Unknown_route_is_a_problem_404()
    {
        using var http = silo.OperatorHttp();
        var response = await http.GetAsync(new Uri("/v1/admin/nothing-here", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
