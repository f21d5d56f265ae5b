namespace HelaMem.Llm;

/// <summary>
/// A tenant's changes to the silo's provider (<see cref="LlmOptions"/>): another endpoint among those the operator
/// allows (<see cref="LlmOptions.TenantEndpoints"/>), other model or deployment names, another Azure api-version. Never
/// a key: the silo's key (or its Entra ID identity) is used, which is why the endpoint must be one the operator listed —
/// the key is sent to it. Set by operators, not by tenants. Null fields keep the silo's value.
/// </summary>
/// <param name="Endpoint">The provider address, or null for the silo's.</param>
/// <param name="ChatModel">The chat model or Azure deployment, or null.</param>
/// <param name="EmbeddingModel">The embedding model or Azure deployment, or null.</param>
/// <param name="ApiVersion">Azure's api-version, or null.</param>
public sealed record LlmOverride(string? Endpoint = null, string? ChatModel = null, string? EmbeddingModel = null, string? ApiVersion = null)
{
    /// <summary>The longest model or deployment name accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>True when nothing is overridden.</summary>
    public bool IsEmpty => Endpoint is null && ChatModel is null && EmbeddingModel is null && ApiVersion is null;

    /// <summary>
    /// One line per field that <paramref name="silo"/> does not allow, each naming the field (<c>endpoint</c>,
    /// <c>chatModel</c>, <c>embeddingModel</c>, <c>apiVersion</c>) and the rule; empty when valid.
    /// </summary>
    public IEnumerable<string> Validate(LlmOptions silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (IsEmpty)
        {
            yield break;
        }

        if (!silo.Enabled)
        {
            yield return $"no LLM provider is configured on this service ({LlmOptions.Section}:Provider is none), so there is nothing to override.";
            yield break;
        }

        if (Endpoint is { } endpoint && !silo.AllowsTenantEndpoint(endpoint))
        {
            yield return $"endpoint '{endpoint}' is not one the operator allows for tenants ({LlmOptions.Section}:TenantEndpoints, or the service's own endpoint): the service's key is sent to it.";
        }

        foreach (var (field, name) in new[] { ("chatModel", ChatModel), ("embeddingModel", EmbeddingModel) })
        {
            if (name is not null && NameError(name, silo.Provider == LlmOptions.AzureOpenAI) is { } rule)
            {
                yield return $"{field} '{name}' {rule}";
            }
        }

        if (ApiVersion is { } version && (silo.Provider != LlmOptions.AzureOpenAI || !AzureApiVersions.IsKnown(version)))
        {
            yield return silo.Provider == LlmOptions.AzureOpenAI
                ? $"apiVersion '{version}' must be one of {string.Join(", ", AzureApiVersions.Names)}."
                : $"apiVersion applies to azure-openai only; this service's provider is {silo.Provider}.";
        }
    }

    /// <summary>The silo's options with this override applied (<paramref name="silo"/> is not changed).</summary>
    public LlmOptions Apply(LlmOptions silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return new LlmOptions
        {
            Provider = silo.Provider,
            Endpoint = Endpoint ?? silo.Endpoint,
            ApiKey = silo.ApiKey,
            ChatModel = ChatModel ?? silo.ChatModel,
            EmbeddingModel = EmbeddingModel ?? silo.EmbeddingModel,
            ApiVersion = ApiVersion ?? silo.ApiVersion,
            TimeoutSeconds = silo.TimeoutSeconds,
            MaxRetries = silo.MaxRetries,
            BreakAfterFailures = silo.BreakAfterFailures,
            BreakSeconds = silo.BreakSeconds,
            TenantEndpoints = silo.TenantEndpoints,
        };
    }

    // Azure puts the deployment into the request path: letters, digits, '.', '_' and '-' only. OpenAI-compatible
    // servers name models with '/' and ':' too (Qwen/Qwen2.5-7B-Instruct, llama3.2:3b); no whitespace or control.
    private static string? NameError(string name, bool azure)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return $"must have 1 to {MaxNameLength} characters.";
        }

        if (azure && !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return "must be an Azure deployment name: letters, digits, '.', '_' and '-' only.";
        }

        return name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "must not contain whitespace or control characters." : null;
    }
}
