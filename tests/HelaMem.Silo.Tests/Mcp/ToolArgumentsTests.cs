using System.Text.Json;
using HelaMem.Client.Mcp;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>The argument checks both MCP servers share, against a schema of the kind the SDK generates.</summary>
public sealed class ToolArgumentsTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type": "object", "required": ["user", "messages"], "properties": {
          "user": {"type": "string"},
          "topK": {"type": ["integer", "null"]},
          "explain": {"type": "boolean"},
          "messages": {"type": "array", "items": {"type": "object", "properties": {
            "content": {"type": ["string", "null"]},
            "timestamp": {"type": ["string", "null"], "format": "date-time"},
            "metadata": {"type": ["object", "null"], "additionalProperties": {"type": "string"}}}}}}}
        """).RootElement;

    [Theory]
    [InlineData("""{"user": "a", "messages": []}""")]
    [InlineData("""{"user": "a", "messages": [{"content": "x", "timestamp": "2024-05-01T09:00:00Z", "metadata": {"k": "v"}}], "topK": "5", "explain": true}""")]
    [InlineData("""{"user": "a", "messages": [{"content": null, "timestamp": null, "metadata": null}], "topK": null, "unknown": 1}""")]
    [InlineData("""{"user": "a", "messages": [], "topK": -3}""")]
    public void Arguments_that_fit_the_schema_pass(string arguments) =>
        Assert.Null(ToolArguments.Problem(Schema, Parse(arguments)));

    [Theory]
    [InlineData("""{"messages": []}""", "argument 'user' is required.")]
    [InlineData("""{"user": 7, "messages": []}""", "argument 'user' must be a string; it is 7.")]
    [InlineData("""{"user": "a", "messages": {}}""", "argument 'messages' must be an array; it is an object.")]
    [InlineData("""{"user": "a", "messages": [], "topK": 2.5}""", "argument 'topK' must be an integer; it is 2.5.")]
    [InlineData("""{"user": "a", "messages": [], "topK": "1e3"}""", "argument 'topK' must be an integer; it is the string \"1e3\".")]
    [InlineData("""{"user": "a", "messages": [], "topK": "-"}""", "argument 'topK' must be an integer; it is the string \"-\".")]
    [InlineData("""{"user": "a", "messages": [], "explain": "yes"}""", "argument 'explain' must be true or false; it is the string \"yes\".")]
    [InlineData("""{"user": "a", "messages": [{"content": "x"}, 5]}""", "argument 'messages[1]' must be an object; it is 5.")]
    [InlineData("""{"user": "a", "messages": [{"metadata": {"k": ["v"]}}]}""", "argument 'messages[0].metadata['k']' must be a string; it is an array.")]
    [InlineData("""{"user": "a", "messages": [{"metadata": "k=v"}]}""", "argument 'messages[0].metadata' must be an object of string values; it is the string \"k=v\".")]
    public void Arguments_that_do_not_fit_are_named_with_their_rule(string arguments, string expected) =>
        Assert.Equal(expected, ToolArguments.Problem(Schema, Parse(arguments)));

    [Fact]
    public void A_number_too_large_for_its_parameter_is_described_with_the_range()
    {
        var arguments = Parse("""{"user": "a", "offset": 12, "limit": 3000000000}""");
        var failure = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<int>(arguments["limit"]));
        Assert.Equal("argument 'limit' must be an integer from -2147483648 to 2147483647; it is 3000000000.", ToolArguments.Describe(failure, arguments));
    }

    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
