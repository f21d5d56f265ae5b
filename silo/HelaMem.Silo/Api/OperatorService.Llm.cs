using HelaMem.Abstractions.Contracts;
using HelaMem.Client.Contracts;
using HelaMem.Llm;

namespace HelaMem.Silo.Api;

/// <summary>The tenant settings' <c>llm</c> section: a tenant's provider override, checked against this silo's provider.</summary>
internal sealed partial class OperatorService
{
    /// <summary>
    /// The override to store for <paramref name="llm"/>: null when it sets no field (which removes the tenant's
    /// override), else the validated values. A field sent as "" counts as not set, so a CLI or script can clear one
    /// field by sending it empty. Refusals name the field (<c>llm.endpoint</c>, ...) and the rule or the setting to
    /// change; they never name the silo's key (the override has none, and the validation does not read it).
    /// </summary>
    private TenantLlmOverride? ValidateLlm(TenantLlmSettings llm)
    {
        var wanted = new LlmOverride(Given(llm.Endpoint), Given(llm.ChatModel), Given(llm.EmbeddingModel), Given(llm.ApiVersion));
        if (wanted.IsEmpty)
        {
            return null;
        }

        if (!options.Llm.Enabled)
        {
            throw ApiProblemException.BadRequest(
                $"llm cannot be set: this service has no LLM provider ({LlmOptions.Section}:Provider is none). Leave 'llm' out, or configure a provider on the silos first.");
        }

        if (wanted.Endpoint is { Length: > TenantLlmOverride.MaxFieldLength })
        {
            throw ApiProblemException.BadRequest($"llm.endpoint must have at most {TenantLlmOverride.MaxFieldLength} characters.");
        }

        var errors = wanted.Validate(options.Llm).Select(error => "llm." + error).ToList();
        if (errors.Count > 0)
        {
            throw ApiProblemException.BadRequest(string.Join(" ", errors));
        }

        return new TenantLlmOverride(wanted.Endpoint, wanted.ChatModel, wanted.EmbeddingModel, wanted.ApiVersion);
    }

    private static string? Given(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static TenantLlmSettings? ToWire(TenantLlmOverride? stored) =>
        stored is null ? null : new TenantLlmSettings(stored.Endpoint, stored.ChatModel, stored.EmbeddingModel, stored.ApiVersion);

    private static TenantLlmOverride ToStored(TenantLlmSettings wire) =>
        new(wire.Endpoint, wire.ChatModel, wire.EmbeddingModel, wire.ApiVersion);
}
