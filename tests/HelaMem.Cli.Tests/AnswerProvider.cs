using HelaMem.Llm.Tests.Fakes;

namespace HelaMem.Cli.Tests;

/// <summary>
/// The fake OpenAI / Azure OpenAI server scripted as a chat model for <c>eval locomo --answer</c>: it answers each
/// fixture question with a fixed prediction, and judges by a fixed rule, so that every score is known by hand.
/// </summary>
public sealed class AnswerProvider : IAsyncDisposable
{
    public const string Key = "sk-cli-test-0123456789SECRET";
    public const string ApiVersion = "2024-10-21";
    public const string Deployment = "answer-deployment";
    public const string Model = "gpt-test";

    /// <summary>Conversation 1's questions and the predictions the model gives (file order).</summary>
    public static readonly IReadOnlyDictionary<string, string> Predictions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Where is Bob training for the marathon, and what does his sister play?"] = "violin",
        ["When did Alice perform the jazz recital?"] = "27 June, 2023",
        ["Would Bob enjoy the Monterey aquarium jellyfish?"] = "yes",
        ["Which instrument is Alice learning, the saxophone?"] = "the saxophone",
        ["What kind of bread did the grandmother bake?"] = "bread",
        ["Who taught the cardamom bread recipe?"] = "her grandmother",
        ["What is the weather like?"] = "Not mentioned in the conversation",
        ["What did Alice say about her violin recital?"] = "Not mentioned in the conversation",
        ["Where did Carol move?"] = "Lisbon",
        ["What is Dan learning?"] = "Portuguese on an app",
    };

    private AnswerProvider(FakeLlmServer server)
    {
        Server = server;
        Http = server.CreateTrustingClient();
        server.ChatReply = Reply;
    }

    public FakeLlmServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<AnswerProvider> StartAsync() => new(await FakeLlmServer.StartAsync(Key, ApiVersion, Deployment));

    /// <summary>The chat requests, split into answer and judge calls by their prompt.</summary>
    public IReadOnlyList<RecordedRequest> AnswerCalls => [.. Server.Requests.Where(r => r.Operation == "chat" && UserText(r).StartsWith("Conversation excerpts:", StringComparison.Ordinal))];

    public IReadOnlyList<RecordedRequest> JudgeCalls => [.. Server.Requests.Where(r => r.Operation == "chat" && UserText(r).Contains("Answer to grade:", StringComparison.Ordinal))];

    /// <summary>The user message of a recorded chat request.</summary>
    public static string UserText(RecordedRequest request) =>
        request.Body["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();

    /// <summary>A context with the openai provider's variables (plus <paramref name="extra"/>) and the trusting client.</summary>
    internal CliContext OpenAIContext(params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HelaMem__Llm__Provider"] = "openai",
            ["HelaMem__Llm__Endpoint"] = Server.OpenAIEndpoint,
            ["HelaMem__Llm__ApiKey"] = Key,
            ["HelaMem__Llm__ChatModel"] = Model,
            ["HelaMem__Llm__MaxRetries"] = "2",
            ["HelaMem__Llm__TimeoutSeconds"] = "20",
        };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return new CliContext(name => variables.GetValueOrDefault(name), Http);
    }

    private static string Reply(IReadOnlyList<string> messages)
    {
        var user = messages[^1];
        string Line(string label) => user.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();
        if (user.Contains("Answer to grade:", StringComparison.Ordinal))
        {
            // Judge: right when one answer contains the other (ignoring case); an unclear reply for "her ..." answers.
            var gold = Line("Correct answer:").ToLowerInvariant();
            var graded = Line("Answer to grade:").ToLowerInvariant();
            return gold.Contains(graded, StringComparison.Ordinal) || graded.Contains(gold, StringComparison.Ordinal) ? "CORRECT"
                : graded.StartsWith("her ", StringComparison.Ordinal) ? "Partly right"
                : "WRONG";
        }

        return Predictions[Line("Question:")];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
