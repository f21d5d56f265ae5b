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

    // search_memories' and add_memories' newer arguments, and update_memory's metadata, as the SDK describes them.
    private static readonly JsonElement OptionsSchema = JsonDocument.Parse("""
        {"type": "object", "required": ["user"], "properties": {
          "user": {"type": "string"},
          "includeSemantic": {"type": "boolean", "default": true},
          "deduplicate": {"type": "boolean", "default": false},
          "idempotencyKey": {"type": ["string", "null"], "default": null},
          "metadata": {"type": ["object", "null"], "additionalProperties": {"type": ["string", "null"]}},
          "filter": {"type": ["object", "null"], "properties": {
            "metadata": {"type": ["object", "null"], "additionalProperties": {"type": ["array", "null"], "items": {"type": ["string", "null"]}}},
            "conversationIds": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
            "speakers": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
            "roles": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
            "from": {"type": ["string", "null"], "format": "date-time"},
            "until": {"type": ["string", "null"], "format": "date-time"}}}}}
        """).RootElement;

    [Theory]
    [InlineData("""{"user": "a", "filter": null, "includeSemantic": false, "deduplicate": true, "idempotencyKey": "k-1"}""")]
    [InlineData("""{"user": "a", "filter": {"metadata": {"topic": ["travel", ""]}, "Speakers": ["Alice"], "roles": [], "from": "2024-01-01T00:00:00Z", "until": null}}""")]
    [InlineData("""{"user": "a", "filter": {"metadata": {"topic": null}, "conversationIds": null}, "metadata": {"k": "v", "gone": null}}""")]
    public void Filters_and_ingest_options_that_fit_the_schema_pass(string arguments) =>
        Assert.Null(ToolArguments.Problem(OptionsSchema, Parse(arguments)));

    [Theory]
    [InlineData("""{"user": "a", "filter": "Alice"}""", "argument 'filter' must be an object; it is the string \"Alice\".")]
    [InlineData("""{"user": "a", "filter": {"speakers": "Alice"}}""", "argument 'filter.speakers' must be an array; it is the string \"Alice\".")]
    [InlineData("""{"user": "a", "filter": {"roles": ["user", 1]}}""", "argument 'filter.roles[1]' must be a string; it is 1.")]
    [InlineData("""{"user": "a", "filter": {"from": "yesterday"}}""", "argument 'filter.from' must be a date-time in ISO 8601 (for example 2024-05-01T09:00:00Z); it is the string \"yesterday\".")]
    [InlineData("""{"user": "a", "filter": {"metadata": ["topic"]}}""", "argument 'filter.metadata' must be an object of lists of strings; it is an array.")]
    [InlineData("""{"user": "a", "filter": {"metadata": {"topic": "travel"}}}""", "argument 'filter.metadata['topic']' must be an array; it is the string \"travel\".")]
    [InlineData("""{"user": "a", "filter": {"speaker": ["Alice"]}}""", "argument 'filter.speaker' is not known; the fields of 'filter' are metadata, conversationIds, speakers, roles, from and until.")]
    [InlineData("""{"user": "a", "includeSemantic": "false"}""", "argument 'includeSemantic' must be true or false; it is the string \"false\".")]
    [InlineData("""{"user": "a", "deduplicate": 1}""", "argument 'deduplicate' must be true or false; it is 1.")]
    [InlineData("""{"user": "a", "idempotencyKey": 42}""", "argument 'idempotencyKey' must be a string; it is 42.")]
    [InlineData("""{"user": "a", "metadata": "k=v"}""", "argument 'metadata' must be an object of string values; it is the string \"k=v\".")]
    [InlineData("""{"user": "a", "metadata": {"k": 7}}""", "argument 'metadata['k']' must be a string; it is 7.")]
    public void Filters_and_ingest_options_that_do_not_fit_are_named_with_their_rule(string arguments, string expected) =>
        Assert.Equal(expected, ToolArguments.Problem(OptionsSchema, Parse(arguments)));

    [Fact]
    public void A_field_an_object_argument_does_not_have_is_refused_with_the_fields_it_has() =>
        Assert.Equal("argument 'messages[0].text' is not known; the fields of 'messages[0]' are content, timestamp and metadata.",
            ToolArguments.Problem(Schema, Parse("""{"user": "a", "messages": [{"content": "x", "text": "y"}]}""")));

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
