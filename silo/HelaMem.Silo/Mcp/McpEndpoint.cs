using System.Reflection;
using HelaMem.Client.Mcp;
using ModelContextProtocol.Protocol;

namespace HelaMem.Silo.Mcp;

/// <summary>
/// The silo's MCP server: Streamable HTTP at <see cref="Path"/>, stateless, with the memory tools. Authentication,
/// rate limiting and the request size limit are the pipeline's, as for the tenant routes: the path is authenticated
/// with a tenant API key by <see cref="Security.TenantAuthentication"/> before the MCP handler runs.
/// </summary>
/// <remarks>
/// Stateless: every POST carries one complete exchange and no session lives in the silo, so any silo of a cluster can
/// answer any request (no session affinity at the load balancer, nothing lost when a silo restarts), and each request
/// is authenticated on its own. The tools need nothing a session gives (no server-to-client requests, no
/// notifications). The endpoint is left out of the OpenAPI document: it speaks JSON-RPC, and MCP clients learn its
/// tools from <c>tools/list</c>.
/// </remarks>
internal static class McpEndpoint
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/mcp";

    /// <summary>Registers the MCP server and its tools.</summary>
    public static IServiceCollection AddMemoryMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = MemoryToolText.ServerName,
                    Version = typeof(McpEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0",
                };
                options.ServerInstructions = MemoryToolText.Instructions;
            })
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithTools<MemoryTools>(ToolJson.Options)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolErrors.Filter));
        return services;
    }

    /// <summary>Maps the endpoint (outside the OpenAPI document, see the remarks).</summary>
    public static void MapMemoryMcp(this IEndpointRouteBuilder routes) =>
        routes.MapMcp(Path).ExcludeFromDescription();
}
