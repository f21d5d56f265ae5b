using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HelaMem.Client.Mcp;

/// <summary>The JSON settings of the MCP tools' arguments and results.</summary>
public static class ToolJson
{
    /// <summary>
    /// The HTTP API's wire format (<see cref="HelaMemClient.SerializerOptions"/>: camelCase, case-insensitive reads), so
    /// a tool's result has exactly the shape of the HTTP response; with an explicit resolver, which the MCP SDK needs
    /// to describe the tools' arguments and results as JSON schemas. Text is not escaped beyond what JSON needs: a tool
    /// result's text content is read by a model, and a memory in another script should read as written, not as
    /// <c>\uXXXX</c> escapes (the result is never embedded in HTML).
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(HelaMemClient.SerializerOptions)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
