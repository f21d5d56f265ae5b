using System.Text.Json;
using HelaMem.Client.Mcp;
using HelaMem.Silo.Api;
using HelaMem.Silo.Diagnostics;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace HelaMem.Silo.Mcp;

/// <summary>
/// Turns a failed tool call into an MCP tool error (<c>isError</c>) that says what the HTTP API would have said: the
/// refusal's title, status and one-line explanation from <see cref="ProblemMapping"/> (an unknown user, a value out of
/// range, a quota, an overloaded silo), and for an argument the SDK could not bind, which argument and what it must be
/// (<see cref="ToolArguments"/>). The model reads the text and can correct its call; it never sees a stack
/// trace or a .NET type name. Failures the API does not expect are logged with the request's trace id, as the HTTP
/// routes log them, and answered with that trace id only.
/// </summary>
internal static class ToolErrors
{
    /// <summary>The call-tool filter.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            var arguments = request.Params?.Arguments;
            if (request.MatchedPrimitive is McpServerTool tool && ToolArguments.Problem(tool.ProtocolTool.InputSchema, arguments) is { } malformed)
            {
                return Error(MemoryToolText.Refusal(StatusCodes.Status400BadRequest, "Bad request", malformed));
            }

            try
            {
                return await next(request, cancellationToken);
            }
            catch (JsonException e)
            {
                // The SDK could not bind an argument to its parameter: say which argument, in the API's words.
                return Error(MemoryToolText.Refusal(StatusCodes.Status400BadRequest, "Bad request", ToolArguments.Describe(e, arguments)));
            }
            catch (Exception e) when (e is not McpProtocolException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                var (status, title, detail, _) = ProblemMapping.Classify(e);
                if (status == StatusCodes.Status500InternalServerError)
                {
                    var services = request.Services;
                    var traceId = services?.GetService<IHttpContextAccessor>()?.HttpContext?.TraceIdentifier ?? "";
                    if (services?.GetService<ILoggerFactory>() is { } loggers)
                    {
                        SiloLog.UnhandledError(loggers.CreateLogger("HelaMem.Silo.Mcp"), "tools/call", request.Params?.Name ?? "", traceId, e);
                    }

                    detail = $"The server failed; the error is logged with trace id {traceId}.";
                }

                return Error(MemoryToolText.Refusal(status, title, detail));
            }
        };

    /// <summary>A tool error result with <paramref name="text"/>.</summary>
    public static CallToolResult Error(string text) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = text }],
    };
}
