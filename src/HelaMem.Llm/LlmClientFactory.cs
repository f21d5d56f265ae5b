using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace HelaMem.Llm;

/// <summary>
/// Builds the configured provider's <see cref="IChatClient"/> and <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>:
/// the OpenAI SDK's client (Azure's <see cref="AzureOpenAIClient"/> for azure-openai) adapted by
/// Microsoft.Extensions.AI, wrapped in the metering client (quota, token usage) around the resilient one (retries,
/// time-out, circuit breaker). Chat and embeddings share one breaker: they reach the same provider.
/// </summary>
public sealed class LlmClientFactory
{
    // The SDK's own network time-out sits above HelaMem's per-attempt one, so that HelaMem's fires first and is reported
    // as LlmTimeoutException rather than as the SDK's exception.
    private static readonly TimeSpan SdkTimeoutMargin = TimeSpan.FromSeconds(5);

    private readonly LlmOptions _options;
    private readonly TokenMeter _meter;
    private readonly ResilientCaller _caller;
    private readonly Lazy<OpenAIClient> _client;
    private readonly HttpClient? _http;

    /// <summary>Creates the factory; <paramref name="options"/> must be valid (<see cref="LlmOptions.Validate"/>) and name a provider.</summary>
    public LlmClientFactory(LlmOptions options, ILlmUsageSink usage, ILlmTokenQuota quota, ILoggerFactory loggers, TimeProvider? time = null)
        : this(options, usage, quota, loggers, time, http: null)
    {
    }

    /// <summary>
    /// The same, sending through <paramref name="http"/> (a client with its own proxy or certificate trust, e.g. the
    /// tests' client that trusts their server's certificate); the caller keeps ownership of it.
    /// </summary>
    public LlmClientFactory(LlmOptions options, ILlmUsageSink usage, ILlmTokenQuota quota, ILoggerFactory loggers, TimeProvider? time, HttpClient? http)
    {
        _http = http;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        // The embedding model is checked where an embedding generator is made: a chat-only user need not name one.
        var errors = options.Validate(requireEmbeddingModel: false).ToList();
        if (errors.Count > 0 || !options.Enabled)
        {
            throw new ArgumentException(errors.Count > 0 ? string.Join(" ", errors) : "HelaMem:Llm:Provider is none: there is no provider to build clients for.", nameof(options));
        }

        _options = options;
        time ??= TimeProvider.System;
        _meter = new TokenMeter(usage, quota);
        var breaker = new CircuitBreaker(options.BreakAfterFailures, TimeSpan.FromSeconds(options.BreakSeconds), time);
        _caller = new ResilientCaller(options, breaker, time, loggers.CreateLogger("HelaMem.Llm"));
        _client = new Lazy<OpenAIClient>(CreateSdkClient);
    }

    /// <summary>The chat client for <see cref="LlmOptions.ChatModel"/>.</summary>
    public IChatClient CreateChatClient()
    {
        var model = _options.ChatModel!;
        var sdk = _client.Value.GetChatClient(model).AsIChatClient();
        return new MeteredChatClient(new ResilientChatClient(sdk, _caller, model), _meter, model);
    }

    /// <summary>The embedding generator for <see cref="LlmOptions.EmbeddingModel"/>.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator()
    {
        var model = _options.EmbeddingModel
            ?? throw new InvalidOperationException($"{LlmOptions.Section}:EmbeddingModel is not set: there is no embedding model to call.");
        var sdk = _client.Value.GetEmbeddingClient(model).AsIEmbeddingGenerator();
        return new MeteredEmbeddingGenerator(new ResilientEmbeddingGenerator(sdk, _caller, model), _meter, model);
    }

    private OpenAIClient CreateSdkClient() => _options.Provider == LlmOptions.AzureOpenAI ? CreateAzureClient() : CreateOpenAIClient();

    private OpenAIClient CreateOpenAIClient()
    {
        var sdkOptions = new OpenAIClientOptions();
        Configure(sdkOptions);
        if (_options.Endpoint is { } endpoint)
        {
            sdkOptions.Endpoint = new Uri(endpoint);
        }

        // An OpenAI-compatible server without authentication (a local Ollama) still gets a bearer header: the SDK
        // requires a credential, and such servers ignore it.
        return new OpenAIClient(new ApiKeyCredential(_options.ApiKey ?? "no-key"), sdkOptions);
    }

    private AzureOpenAIClient CreateAzureClient()
    {
        var sdkOptions = _options.ApiVersion is { } version
            ? new AzureOpenAIClientOptions(AzureApiVersions.Parse(version))
            : new AzureOpenAIClientOptions();
        Configure(sdkOptions);
        var endpoint = new Uri(_options.Endpoint!);
        return _options.ApiKey is { } key
            ? new AzureOpenAIClient(endpoint, new ApiKeyCredential(key), sdkOptions)
            : new AzureOpenAIClient(endpoint, new DefaultAzureCredential(), sdkOptions);
    }

    private void Configure(ClientPipelineOptions sdkOptions)
    {
        // Retries are HelaMem's (ResilientCaller): the SDK's would multiply them and hide failures from the breaker.
        sdkOptions.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        sdkOptions.NetworkTimeout = TimeSpan.FromSeconds(_options.TimeoutSeconds) + SdkTimeoutMargin;
        if (_http is not null)
        {
            sdkOptions.Transport = new HttpClientPipelineTransport(_http);
        }
    }
}
