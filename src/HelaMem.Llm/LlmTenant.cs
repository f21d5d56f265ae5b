namespace HelaMem.Llm;

/// <summary>
/// Which tenant the LLM calls on this async flow are made for: the metering clients charge tokens to it and check its
/// quota. An ambient scope rather than a ChatOptions property so that a grain sets it once per turn and every call
/// beneath it (chat and embeddings, through any helper) is attributed without threading the id through.
/// </summary>
public static class LlmTenant
{
    /// <summary>The tenant name charged when no scope is open (calls made by the service itself).</summary>
    public const string Unattributed = "(service)";

    private static readonly AsyncLocal<string?> CurrentTenant = new();

    /// <summary>The tenant of the current flow, or <see cref="Unattributed"/>.</summary>
    public static string Current => CurrentTenant.Value ?? Unattributed;

    /// <summary>Attributes the calls made until the returned scope is disposed to <paramref name="tenant"/>.</summary>
    public static IDisposable Enter(string tenant)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var previous = CurrentTenant.Value;
        CurrentTenant.Value = tenant;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => CurrentTenant.Value = previous;
    }
}
