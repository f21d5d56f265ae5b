using HelaMem.Grains.Diagnostics;
using HelaMem.Llm;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Sends the LLM providers' token usage to the grains' token counter, which the operator page and /metrics show per
/// tenant.
/// </summary>
internal sealed class LlmUsageMetrics : ILlmUsageSink
{
    /// <inheritdoc />
    public void Record(LlmUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        GrainMetrics.RecordLlmTokens(usage.Tenant, usage.InputTokens, usage.OutputTokens);
    }
}
