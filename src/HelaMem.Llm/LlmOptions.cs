namespace HelaMem.Llm;

/// <summary>
/// The silo's chat and embedding provider (section <c>HelaMem:Llm</c>). <see cref="Provider"/> <c>none</c> (the
/// default) means no LLM: every other setting is then ignored.
/// </summary>
public sealed class LlmOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "HelaMem:Llm";

    /// <summary>No provider: HelaMem runs on its offline parts only.</summary>
    public const string None = "none";

    /// <summary>OpenAI, or any server that speaks its protocol (vLLM, Ollama) at <see cref="Endpoint"/>.</summary>
    public const string OpenAI = "openai";

    /// <summary>Azure OpenAI: deployments under a resource endpoint, api-key or Entra ID.</summary>
    public const string AzureOpenAI = "azure-openai";

    /// <summary>The provider names accepted by <see cref="Provider"/>.</summary>
    public static IReadOnlyList<string> Providers { get; } = [None, OpenAI, AzureOpenAI];

    /// <summary><c>none</c>, <c>openai</c> or <c>azure-openai</c>.</summary>
    public string Provider { get; set; } = None;

    /// <summary>
    /// The service's base address. OpenAI: optional (default https://api.openai.com/v1); for a compatible server,
    /// its OpenAI base path, e.g. http://localhost:11434/v1. Azure OpenAI: required, the resource's https address.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// The API key: a bearer token for OpenAI, the <c>api-key</c> header for Azure OpenAI. Azure without a key signs in
    /// with Entra ID (DefaultAzureCredential). Never logged nor echoed in an error.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The chat model (OpenAI) or chat deployment name (Azure OpenAI).</summary>
    public string? ChatModel { get; set; }

    /// <summary>The embedding model (OpenAI) or embedding deployment name (Azure OpenAI).</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>
    /// The length of the vectors asked of <see cref="EmbeddingModel"/> (sent as the request's <c>dimensions</c>); required
    /// when the silo embeds remotely (<c>HelaMem:Embedder</c> = remote), where every graph records it. Null otherwise.
    /// </summary>
    public int? EmbeddingDimensions { get; set; }

    /// <summary>The most <see cref="EmbeddingDimensions"/> accepted (text-embedding-3-large has 3,072).</summary>
    public const int MaxEmbeddingDimensions = 8192;

    /// <summary>Azure OpenAI's api-version (null: the SDK's default); one of <see cref="AzureApiVersions.Names"/>.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>How long one attempt may take, in seconds, before it is abandoned (and retried).</summary>
    public double TimeoutSeconds { get; set; } = 60;

    /// <summary>How many times a call that failed transiently (429, 5xx, time-out, network) is tried again.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>After this many consecutive transient failures the breaker opens and calls are refused at once.</summary>
    public int BreakAfterFailures { get; set; } = 5;

    /// <summary>How long the open breaker refuses calls, in seconds, before it lets one through again.</summary>
    public double BreakSeconds { get; set; } = 30;

    /// <summary>
    /// Further endpoints an operator may give a tenant (<see cref="LlmOverride.Endpoint"/>), besides
    /// <see cref="Endpoint"/>; the silo's key is sent to them, so only listed ones are accepted.
    /// </summary>
    public IList<string> TenantEndpoints { get; set; } = [];

    /// <summary>True when a provider is configured.</summary>
    public bool Enabled => !string.Equals(Provider, None, StringComparison.Ordinal);

    /// <summary>
    /// One line per invalid setting, each naming it; the key's value never appears. A user of chat only (the CLI's
    /// answer evaluation) passes <paramref name="requireEmbeddingModel"/> false.
    /// </summary>
    public IEnumerable<string> Validate(bool requireEmbeddingModel = true)
    {
        if (!Providers.Contains(Provider, StringComparer.Ordinal))
        {
            yield return $"{Section}:Provider is '{Provider}'; it must be one of {string.Join(", ", Providers)}.";
            yield break;
        }

        if (!Enabled)
        {
            yield break;
        }

        if (Provider == AzureOpenAI && string.IsNullOrWhiteSpace(Endpoint))
        {
            yield return $"{Section}:Endpoint is required for azure-openai (the resource's address, e.g. https://my-resource.openai.azure.com).";
        }
        else if (Endpoint is { } endpoint && !IsEndpoint(endpoint, Provider == AzureOpenAI))
        {
            yield return Provider == AzureOpenAI
                ? $"{Section}:Endpoint '{endpoint}' is not an https URL."
                : $"{Section}:Endpoint '{endpoint}' is not an http or https URL.";
        }

        if (Provider == OpenAI && string.IsNullOrWhiteSpace(Endpoint) && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return $"{Section}:ApiKey is required for openai at api.openai.com (set {Section}:Endpoint for a server that needs no key).";
        }

        if (ApiKey is { } key && (key.Length == 0 || key.Any(char.IsWhiteSpace)))
        {
            yield return $"{Section}:ApiKey must not be empty nor contain whitespace.";
        }

        if (string.IsNullOrWhiteSpace(ChatModel))
        {
            yield return $"{Section}:ChatModel is required when {Section}:Provider is {Provider} (the {ModelWord} for chat).";
        }

        if (requireEmbeddingModel && string.IsNullOrWhiteSpace(EmbeddingModel))
        {
            yield return $"{Section}:EmbeddingModel is required when {Section}:Provider is {Provider} (the {ModelWord} for embeddings).";
        }

        if (EmbeddingDimensions is { } dimensions && dimensions is < 1 or > MaxEmbeddingDimensions)
        {
            yield return $"{Section}:EmbeddingDimensions is {dimensions}; it must be between 1 and {MaxEmbeddingDimensions}.";
        }

        if (ApiVersion is { } version && (Provider != AzureOpenAI || !AzureApiVersions.IsKnown(version)))
        {
            yield return Provider == AzureOpenAI
                ? $"{Section}:ApiVersion is '{version}'; it must be one of {string.Join(", ", AzureApiVersions.Names)}."
                : $"{Section}:ApiVersion applies to azure-openai only; remove it for {Provider}.";
        }

        if (!(TimeoutSeconds > 0) || TimeoutSeconds > 3600)
        {
            yield return $"{Section}:TimeoutSeconds is {TimeoutSeconds}; it must be in (0, 3600].";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"{Section}:MaxRetries is {MaxRetries}; it must be between 0 and 10.";
        }

        if (BreakAfterFailures is < 1 or > 1000)
        {
            yield return $"{Section}:BreakAfterFailures is {BreakAfterFailures}; it must be between 1 and 1000.";
        }

        if (!(BreakSeconds > 0) || BreakSeconds > 3600)
        {
            yield return $"{Section}:BreakSeconds is {BreakSeconds}; it must be in (0, 3600].";
        }

        foreach (var tenantEndpoint in TenantEndpoints ?? [])
        {
            if (!IsEndpoint(tenantEndpoint ?? "", Provider == AzureOpenAI))
            {
                yield return $"{Section}:TenantEndpoints has '{tenantEndpoint}', which is not an {(Provider == AzureOpenAI ? "https" : "http or https")} URL.";
            }
        }
    }

    /// <summary>Whether a tenant may be sent to <paramref name="endpoint"/>: this silo's endpoint or one of <see cref="TenantEndpoints"/>.</summary>
    public bool AllowsTenantEndpoint(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!IsEndpoint(endpoint, Provider == AzureOpenAI))
        {
            return false;
        }

        // Compared as addresses (scheme and host case-insensitive, a trailing '/' ignored), never as prefixes.
        var wanted = new Uri(endpoint.TrimEnd('/'));
        return new[] { Endpoint }.Concat(TenantEndpoints ?? [])
            .Any(allowed => allowed is not null && Uri.TryCreate(allowed.TrimEnd('/'), UriKind.Absolute, out var uri) && Uri.Compare(uri, wanted, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0);
    }

    private string ModelWord => Provider == AzureOpenAI ? "deployment name" : "model";

    private static bool IsEndpoint(string value, bool httpsOnly) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!httpsOnly && uri.Scheme == Uri.UriSchemeHttp))
        && !string.IsNullOrEmpty(uri.Host);
}
