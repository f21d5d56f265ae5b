using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>Calls a tool and checks the kind of answer: a result (its structured content) or a tool error (its text).</summary>
public static class ToolCalls
{
    /// <summary>Calls <paramref name="tool"/>; asserts it succeeded with structured content equal to its text content; returns it.</summary>
    public static async Task<JsonElement> CallAsync(this McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}");
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);

        // The text content is the same JSON, for clients that read text only.
        using var text = JsonDocument.Parse(Text(result));
        Assert.True(JsonElement.DeepEquals(structured, text.RootElement), $"{tool}: the text content differs from the structured content");
        return structured.Clone();
    }

    /// <summary>Calls <paramref name="tool"/>; asserts it is a tool error (not a protocol error); returns its text.</summary>
    public static async Task<string> RefusedAsync(this McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        Assert.True(result.IsError is true, $"{tool} was expected to fail but returned {Text(result)}");
        Assert.Null(result.StructuredContent);
        var text = Text(result);

        // What a refusal never shows: a stack trace, an exception's or a .NET type's name.
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The text content of a result.</summary>
    public static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
