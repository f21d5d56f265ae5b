using System.Collections.Concurrent;

namespace HelaMem.Llm;

/// <summary>
/// A token budget per tenant kept in this process's memory: each tenant may use <c>tokensPerTenant</c> tokens (or its
/// own limit) until <see cref="Reset"/>. A call that starts within budget may end above it; the next one is refused.
/// </summary>
public sealed class InMemoryTokenQuota(long tokensPerTenant, IReadOnlyDictionary<string, long>? limits = null) : ILlmTokenQuota
{
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool HasBudget(string tenant) => Used(tenant) < LimitOf(tenant);

    /// <inheritdoc />
    public void Charge(string tenant, long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        _used.AddOrUpdate(tenant, tokens, (_, used) => used + tokens);
    }

    /// <summary>Tokens charged to <paramref name="tenant"/> since the last reset.</summary>
    public long Used(string tenant) => _used.TryGetValue(tenant, out var used) ? used : 0;

    /// <summary>The tenant's budget.</summary>
    public long LimitOf(string tenant) => limits is not null && limits.TryGetValue(tenant, out var limit) ? limit : tokensPerTenant;

    /// <summary>Gives <paramref name="tenant"/> its whole budget again (e.g. at the start of a billing period).</summary>
    public void Reset(string tenant) => _used.TryRemove(tenant, out _);
}
