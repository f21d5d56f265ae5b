using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace HelaMem.Llm.Tests.Fakes;

/// <summary>A fake provider and the factory's clients pointed at it, with the usage, the quota and the logs recorded.</summary>
public sealed class LlmTestbed : IAsyncDisposable
{
    public const string Key = "sk-test-0123456789abcdefSECRET";
    public const string ApiVersion = "2024-10-21";
    public const string ChatDeployment = "chat-deployment";
    public const string EmbeddingDeployment = "embedding-deployment";

    private readonly HttpClient _http;
    private readonly ILoggerFactory _loggers;

    private LlmTestbed(FakeLlmServer server, LlmOptions options, InMemoryTokenQuota quota)
    {
        Server = server;
        Options = options;
        Quota = quota;
        _http = server.CreateTrustingClient();
        _loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        Factory = new LlmClientFactory(options, Usage, quota, _loggers, TimeProvider.System, _http);
        Chat = Factory.CreateChatClient();
        Embeddings = Factory.CreateEmbeddingGenerator();
    }

    public FakeLlmServer Server { get; }

    public LlmOptions Options { get; }

    public InMemoryTokenQuota Quota { get; }

    public RecordingUsageSink Usage { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public LlmClientFactory Factory { get; }

    public IChatClient Chat { get; }

    public IEmbeddingGenerator<string, Embedding<float>> Embeddings { get; }

    /// <summary>A server and clients for <paramref name="provider"/>; <paramref name="configure"/> adjusts the options (short time-outs, ...).</summary>
    public static async Task<LlmTestbed> StartAsync(string provider, Action<LlmOptions>? configure = null, InMemoryTokenQuota? quota = null)
    {
        var server = await FakeLlmServer.StartAsync(Key, ApiVersion, ChatDeployment, EmbeddingDeployment);
        var azure = provider == LlmOptions.AzureOpenAI;
        var options = new LlmOptions
        {
            Provider = provider,
            Endpoint = azure ? server.BaseAddress : server.OpenAIEndpoint,
            ApiKey = Key,
            ChatModel = azure ? ChatDeployment : "gpt-4o-mini",
            EmbeddingModel = azure ? EmbeddingDeployment : "text-embedding-3-small",
            ApiVersion = azure ? ApiVersion : null,
            TimeoutSeconds = 10,
            MaxRetries = 2,
        };
        configure?.Invoke(options);
        return new LlmTestbed(server, options, quota ?? new InMemoryTokenQuota(long.MaxValue));
    }

    public async ValueTask DisposeAsync()
    {
        Chat.Dispose();
        Embeddings.Dispose();
        _loggers.Dispose();
        _http.Dispose();
        await Server.DisposeAsync();
    }
}
