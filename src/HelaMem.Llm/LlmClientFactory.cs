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
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient? _http;

    // One SDK client and one resilience pipeline (breaker included) per provider address and api-version: the silo's,
    // and each tenant override's. A tenant's failing endpoint opens its own breaker, never the silo's.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string? Endpoint, string? ApiVersion), Lazy<Connection>> _connections = new();

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
        _time = time ?? TimeProvider.System;
        _meter = new TokenMeter(usage, quota);
        _logger = loggers.CreateLogger("HelaMem.Llm");
    }

    /// <summary>
    /// The chat client for <see cref="LlmOptions.ChatModel"/>, or for a tenant's <paramref name="tenantOverride"/>
    /// (validated against the silo's options: <see cref="ArgumentException"/> naming the bad fields otherwise).
    /// </summary>
    public IChatClient CreateChatClient(LlmOverride? tenantOverride = null)
    {
        var (options, connection) = Resolve(tenantOverride);
        var model = options.ChatModel!;
        var sdk = connection.Sdk.GetChatClient(model).AsIChatClient();
        return new MeteredChatClient(new ResilientChatClient(sdk, connection.Caller, model), _meter, model);
    }

    /// <summary>The embedding generator for <see cref="LlmOptions.EmbeddingModel"/>, or for a tenant's <paramref name="tenantOverride"/>.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(LlmOverride? tenantOverride = null)
    {
        var (options, connection) = Resolve(tenantOverride);
        var model = options.EmbeddingModel
            ?? throw new InvalidOperationException($"{LlmOptions.Section}:EmbeddingModel is not set: there is no embedding model to call.");
        var sdk = connection.Sdk.GetEmbeddingClient(model).AsIEmbeddingGenerator();
        return new MeteredEmbeddingGenerator(new ResilientEmbeddingGenerator(sdk, connection.Caller, model), _meter, model);
    }

    private (LlmOptions Options, Connection Connection) Resolve(LlmOverride? tenantOverride)
    {
        var options = _options;
        if (tenantOverride is { IsEmpty: false })
        {
            var errors = tenantOverride.Validate(_options).ToList();
            if (errors.Count > 0)
            {
                throw new ArgumentException(string.Join(" ", errors), nameof(tenantOverride));
            }

            options = tenantOverride.Apply(_options);
        }

        var connection = _connections.GetOrAdd((options.Endpoint, options.ApiVersion), _ => new Lazy<Connection>(() => Connect(options))).Value;
        return (options, connection);
    }

    private Connection Connect(LlmOptions options)
    {
        var breaker = new CircuitBreaker(options.BreakAfterFailures, TimeSpan.FromSeconds(options.BreakSeconds), _time);
        var sdk = options.Provider == LlmOptions.AzureOpenAI ? CreateAzureClient(options) : CreateOpenAIClient(options);
        return new Connection(sdk, new ResilientCaller(options, breaker, _time, _logger));
    }

    private OpenAIClient CreateOpenAIClient(LlmOptions options)
    {
        var sdkOptions = new OpenAIClientOptions();
        Configure(sdkOptions);
        if (options.Endpoint is { } endpoint)
        {
            sdkOptions.Endpoint = new Uri(endpoint);
        }

        // An OpenAI-compatible server without authentication (a local Ollama) still gets a bearer header: the SDK
        // requires a credential, and such servers ignore it.
        return new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? "no-key"), sdkOptions);
    }

    private AzureOpenAIClient CreateAzureClient(LlmOptions options)
    {
        var sdkOptions = options.ApiVersion is { } version
            ? new AzureOpenAIClientOptions(AzureApiVersions.Parse(version))
            : new AzureOpenAIClientOptions();
        Configure(sdkOptions);
        var endpoint = new Uri(options.Endpoint!);
        return options.ApiKey is { } key
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

    /// <summary>One provider address: its SDK client and its resilience pipeline.</summary>
    private sealed record Connection(OpenAIClient Sdk, ResilientCaller Caller);
}
