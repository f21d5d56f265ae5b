namespace HelaMem.Llm;

/// <summary>The quota check and the usage report the metering clients share.</summary>
internal sealed class TokenMeter(ILlmUsageSink sink, ILlmTokenQuota quota)
{
    /// <summary>The current tenant, after checking it has budget left.</summary>
    public string EnsureBudget()
    {
        var tenant = LlmTenant.Current;
        return quota.HasBudget(tenant)
            ? tenant
            : throw new LlmQuotaExceededException(tenant, $"Tenant '{tenant}' has used up its LLM token quota; no call was made.");
    }

    /// <summary>Reports and charges what one call used (providers that do not count tokens report zeros).</summary>
    public void Record(string tenant, string operation, string model, Microsoft.Extensions.AI.UsageDetails? usage)
    {
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        sink.Record(new LlmUsage(tenant, operation, model, input, output));
        quota.Charge(tenant, input + output);
    }
}
