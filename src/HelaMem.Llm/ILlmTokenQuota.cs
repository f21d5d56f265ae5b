namespace HelaMem.Llm;

/// <summary>A per-tenant token budget: checked before a call is sent, charged with what it used after.</summary>
public interface ILlmTokenQuota
{
    /// <summary>False when <paramref name="tenant"/> has no tokens left: the call is refused without reaching the provider.</summary>
    bool HasBudget(string tenant);

    /// <summary>Charges <paramref name="tokens"/> (input plus output) to <paramref name="tenant"/>.</summary>
    void Charge(string tenant, long tokens);
}

/// <summary>No limit: every tenant always has budget.</summary>
public sealed class UnlimitedTokenQuota : ILlmTokenQuota
{
    /// <summary>The shared instance.</summary>
    public static UnlimitedTokenQuota Instance { get; } = new();

    /// <inheritdoc />
    public bool HasBudget(string tenant) => true;

    /// <inheritdoc />
    public void Charge(string tenant, long tokens) { }
}
