using System.Text.Json;
using HelaMem.Client;
using HelaMem.Client.Mcp;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace HelaMem.Cli.Mcp;

/// <summary>
/// Turns a failed tool call of <c>helamem mcp</c> into an MCP tool error (<c>isError</c>) with the text the silo's own
/// MCP endpoint gives: a refusal of the silo as its problem title, status and explanation; a malformed argument as
/// <see cref="ToolArguments"/> describes it. A silo that cannot be reached, or does not answer in time, is said so
/// with the address; the server keeps serving, so the next call can succeed once the silo is up.
/// </summary>
internal static class ClientToolErrors
{
    /// <summary>The call-tool filter.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            var arguments = request.Params?.Arguments;
            if (request.MatchedPrimitive is McpServerTool tool && ToolArguments.Problem(tool.ProtocolTool.InputSchema, arguments) is { } malformed)
            {
                return Error(MemoryToolText.Refusal(400, "Bad request", malformed));
            }

            try
            {
                return await next(request, cancellationToken);
            }
            catch (JsonException e)
            {
                return Error(MemoryToolText.Refusal(400, "Bad request", ToolArguments.Describe(e, arguments)));
            }
            catch (HelaMemApiException e) when (e.Detail is not null)
            {
                return Error(MemoryToolText.Refusal((int)e.StatusCode, e.Title ?? "Error", e.Detail));
            }
            catch (HelaMemApiException e) when (e.InnerException is HttpRequestException)
            {
                return Error($"{OneLine(e.Message).TrimEnd('.')}. Is the silo running, and is {HelaMemClientOptions.UrlVariable} its address?");
            }
            catch (Exception e) when (e is HelaMemApiException or TimeoutException)
            {
                return Error(OneLine(e.Message));
            }
            catch (ArgumentException e)
            {
                // An argument the client refuses before sending (a blank user id); " (Parameter 'x')" is .NET's, not ours.
                var message = e.Message;
                var parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
                return Error(MemoryToolText.Refusal(400, "Bad request", OneLine(parameter > 0 ? message[..parameter] : message)));
            }
        };

    private static CallToolResult Error(string text) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = text }],
    };

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
