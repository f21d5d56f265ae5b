using System.CommandLine;
using System.Reflection;
using HelaMem.Cli.Service;
using HelaMem.Client;
using HelaMem.Client.Mcp;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace HelaMem.Cli.Mcp;

/// <summary>
/// <c>helamem mcp [--url URL]</c>: an MCP server over stdio for clients that start their servers as processes (desktop
/// assistants, editors). It serves the silo's memory tools and forwards each call to the silo through
/// <see cref="HelaMemClient"/> with HELAMEM_API_KEY. Standard output carries MCP frames only; the start line, errors and
/// the SDK's warnings go to standard error, which MCP clients keep in their server log.
/// </summary>
public static class McpCommand
{
    /// <summary>Builds <c>mcp</c>.</summary>
    public static Command Create()
    {
        var url = ServiceRunner.UrlOption();
        var command = new Command("mcp", $"Serve the memory tools to an MCP client over stdio (${HelaMemClientOptions.UrlVariable}, ${HelaMemClientOptions.ApiKeyVariable})") { url };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(url), Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error, cancellationToken));
        return command;
    }

    /// <summary>
    /// Serves MCP on <paramref name="input"/>/<paramref name="output"/> until the input ends or
    /// <paramref name="cancellationToken"/> fires; returns the exit code. A missing API key or a malformed address is a
    /// usage error reported on <paramref name="log"/> before anything is served: no tool call could succeed without them.
    /// </summary>
    public static async Task<int> RunAsync(string? url, Stream input, Stream output, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        HelaMemClientOptions options;
        try
        {
            options = HelaMemClientOptions.FromEnvironment();
            if (url is not null)
            {
                options.UseAddresses(HelaMemClientOptions.ParseAddresses(url, "--url"));
            }
        }
        catch (ArgumentException e)
        {
            await log.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }

        if (options.ApiKey is null)
        {
            await log.WriteLineAsync($"error: no API key: set {HelaMemClientOptions.ApiKeyVariable} to a tenant's key (create one with 'helamem tenants create NAME').");
            return ExitCodes.Usage;
        }

        using var client = new HelaMemClient(options);
        using var loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        await using var transport = new StreamServerTransport(input, output, MemoryToolText.ServerName, loggers);
        await using var server = McpServer.Create(transport, ServerOptions(client), loggers);
        await log.WriteLineAsync($"helamem mcp: serving the memory tools over stdio for {string.Join(", ", options.Endpoints)}");
        try
        {
            await server.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or the client stopping the process: a normal end.
        }

        return ExitCodes.Success;
    }

    private static McpServerOptions ServerOptions(HelaMemClient client)
    {
        var tools = new ClientMemoryTools(client);
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var method in typeof(ClientMemoryTools).GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null))
        {
            collection.Add(McpServerTool.Create(method, tools, new McpServerToolCreateOptions { SerializerOptions = ToolJson.Options }));
        }

        var options = new McpServerOptions
        {
            ServerInfo = new Implementation
            {
                Name = MemoryToolText.ServerName,
                Version = typeof(McpCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0",
            },
            ServerInstructions = MemoryToolText.Instructions,
            ToolCollection = collection,
        };
        options.Filters.Request.CallToolFilters.Add(ClientToolErrors.Filter);
        return options;
    }
}
