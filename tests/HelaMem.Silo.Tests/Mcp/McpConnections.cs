using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>Connects the SDK's own MCP client to a silo's <c>/mcp</c> endpoint over Streamable HTTP.</summary>
public static class McpConnections
{
    /// <summary>
    /// Connects to <paramref name="silo"/>'s in-memory test server with <paramref name="apiKey"/> as the bearer token
    /// (none when null). Streamable HTTP only, so a refusal is not retried as the legacy SSE transport.
    /// </summary>
    public static Task<McpClient> ConnectAsync(SiloFactory silo, string? apiKey)
    {
        var http = silo.CreateClient();
        return ConnectAsync(http, new Uri(http.BaseAddress!, "/mcp"), apiKey, ownsHttp: true);
    }

    /// <summary>Connects to the MCP endpoint at <paramref name="endpoint"/> through <paramref name="http"/>.</summary>
    public static async Task<McpClient> ConnectAsync(HttpClient http, Uri endpoint, string? apiKey, bool ownsHttp)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "helamem-tests",
            AdditionalHeaders = apiKey is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {apiKey}" },
        };
        var transport = new HttpClientTransport(options, http, NullLoggerFactory.Instance, ownsHttp);
        return await McpClient.CreateAsync(transport, loggerFactory: NullLoggerFactory.Instance);
    }
}
