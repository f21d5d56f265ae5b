using Azure.AI.OpenAI;

namespace HelaMem.Llm;

/// <summary>
/// The Azure OpenAI api-versions the pinned Azure.AI.OpenAI speaks, by their wire names (<c>2024-10-21</c>,
/// <c>2025-04-01-preview</c>): the SDK takes an enum, the settings take what Azure's documentation prints.
/// </summary>
public static class AzureApiVersions
{
    private static readonly Dictionary<string, AzureOpenAIClientOptions.ServiceVersion> ByName =
        Enum.GetValues<AzureOpenAIClientOptions.ServiceVersion>().ToDictionary(WireName, v => v, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every accepted api-version, oldest first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>True when <paramref name="name"/> is an api-version the SDK can send.</summary>
    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>The SDK's value for a known api-version name.</summary>
    internal static AzureOpenAIClientOptions.ServiceVersion Parse(string name) => ByName[name];

    // V2025_04_01_Preview -> 2025-04-01-preview
    private static string WireName(AzureOpenAIClientOptions.ServiceVersion version) =>
        version.ToString().TrimStart('V').Replace('_', '-').ToLowerInvariant();
}
