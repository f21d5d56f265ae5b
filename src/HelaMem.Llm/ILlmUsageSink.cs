namespace HelaMem.Llm;

/// <summary>What one successful LLM call used.</summary>
/// <param name="Tenant">The tenant charged (<see cref="LlmTenant.Current"/>).</param>
/// <param name="Operation"><c>chat</c> or <c>embedding</c>.</param>
/// <param name="Model">The model or deployment called.</param>
/// <param name="InputTokens">Prompt tokens, as the provider counted them (0 when it did not say).</param>
/// <param name="OutputTokens">Completion tokens (0 for embeddings).</param>
public sealed record LlmUsage(string Tenant, string Operation, string Model, long InputTokens, long OutputTokens);

/// <summary>
/// Receives the token usage of every successful call, e.g. the silo's GrainMetrics.RecordLlmTokens. Called on the
/// caller's flow after the response arrived: keep it fast and never throw.
/// </summary>
public interface ILlmUsageSink
{
    /// <summary>Records one call's usage.</summary>
    void Record(LlmUsage usage);
}
