namespace HelaMem.Llm.Tests.Fakes;

/// <summary>One request the fake provider received, and what it answered.</summary>
/// <param name="Protocol"><c>openai</c> or <c>azure</c>.</param>
/// <param name="Operation"><c>chat</c> or <c>embeddings</c>.</param>
/// <param name="Model">The body's model (OpenAI) or the path's deployment (Azure).</param>
/// <param name="ApiVersion">Azure's api-version query value (null for OpenAI).</param>
/// <param name="ReceivedAt">When it arrived, on the server's clock.</param>
/// <param name="Reply">What the server did.</param>
/// <param name="Status">The status it answered (0 for a hang).</param>
/// <param name="PromptTokens">The prompt tokens it reported (0 when it reported none).</param>
/// <param name="CompletionTokens">The completion tokens it reported.</param>
/// <param name="Body">The request's JSON body.</param>
public sealed record RecordedRequest(
    string Protocol, string Operation, string Model, string? ApiVersion, DateTimeOffset ReceivedAt,
    FakeReply Reply, int Status, int PromptTokens, int CompletionTokens, System.Text.Json.Nodes.JsonObject Body);
