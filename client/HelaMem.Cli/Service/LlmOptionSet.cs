using System.CommandLine;
using HelaMem.Client.Contracts;

namespace HelaMem.Cli.Service;

/// <summary>
/// The <c>--llm-...</c> options of <c>helamem tenants quotas</c>: a tenant's LLM provider override (endpoint, chat and
/// embedding model or deployment, Azure api-version). The silo checks the values against its own provider settings.
/// </summary>
public sealed class LlmOptionSet
{
    /// <summary><c>--llm-endpoint</c>.</summary>
    public Option<string?> Endpoint { get; } = new("--llm-endpoint")
    {
        Description = "LLM: the provider address for this tenant (the silo's own or one listed in HelaMem:Llm:TenantEndpoints; the silo's key is sent to it)",
    };

    /// <summary><c>--llm-chat-model</c>.</summary>
    public Option<string?> ChatModel { get; } = new("--llm-chat-model") { Description = "LLM: the chat model (openai) or chat deployment (azure-openai) for this tenant" };

    /// <summary><c>--llm-embedding-model</c>.</summary>
    public Option<string?> EmbeddingModel { get; } = new("--llm-embedding-model") { Description = "LLM: the embedding model (openai) or embedding deployment (azure-openai) for this tenant" };

    /// <summary><c>--llm-api-version</c>.</summary>
    public Option<string?> ApiVersion { get; } = new("--llm-api-version") { Description = "LLM: the Azure OpenAI api-version for this tenant (azure-openai only)" };

    /// <summary><c>--default-llm</c>.</summary>
    public Option<bool> Default { get; } = new("--default-llm") { Description = "LLM: drop the tenant's override (the silo's provider settings)" };

    /// <summary>The values given on the command line.</summary>
    public LlmChange Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new LlmChange(parse.GetValue(Endpoint), parse.GetValue(ChatModel), parse.GetValue(EmbeddingModel), parse.GetValue(ApiVersion), parse.GetValue(Default));
    }

    /// <summary>A tenant's override as listed: its fields, or that it uses the silo's settings.</summary>
    public static string Describe(TenantLlmSettings? llm)
    {
        if (llm is null)
        {
            return "the silo's provider";
        }

        var fields = new[] { ("endpoint", llm.Endpoint), ("chat", llm.ChatModel), ("embeddings", llm.EmbeddingModel), ("api-version", llm.ApiVersion) }
            .Where(field => field.Item2 is not null)
            .Select(field => $"{field.Item1} {field.Item2}");
        return "override: " + string.Join(", ", fields);
    }
}

/// <summary>The <c>--llm-...</c> options given: which fields of the tenant's override change.</summary>
/// <param name="Endpoint">--llm-endpoint.</param>
/// <param name="ChatModel">--llm-chat-model.</param>
/// <param name="EmbeddingModel">--llm-embedding-model.</param>
/// <param name="ApiVersion">--llm-api-version.</param>
/// <param name="Default">--default-llm.</param>
public sealed record LlmChange(string? Endpoint, string? ChatModel, string? EmbeddingModel, string? ApiVersion, bool Default)
{
    private bool SetsField => Endpoint is not null || ChatModel is not null || EmbeddingModel is not null || ApiVersion is not null;

    /// <summary>Whether any LLM option was given.</summary>
    public bool Changes => SetsField || Default;

    /// <summary>Refuses --default-llm with a field (it would drop what the field sets).</summary>
    public void Validate()
    {
        if (Default && SetsField)
        {
            throw new CliUsageException("--default-llm drops the tenant's LLM override; do not combine it with --llm-endpoint, --llm-chat-model, --llm-embedding-model or --llm-api-version");
        }
    }

    /// <summary>
    /// The <c>llm</c> section to send: null when no LLM option was given (the silo keeps the override), an empty one
    /// for --default-llm (the silo removes it), else the current override with the given fields replaced.
    /// </summary>
    public TenantLlmSettings? Apply(TenantLlmSettings? current)
    {
        if (!Changes)
        {
            return null;
        }

        if (Default)
        {
            return new TenantLlmSettings();
        }

        var kept = current ?? new TenantLlmSettings();
        return new TenantLlmSettings(Endpoint ?? kept.Endpoint, ChatModel ?? kept.ChatModel, EmbeddingModel ?? kept.EmbeddingModel, ApiVersion ?? kept.ApiVersion);
    }
}
