using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// Gives each test its own grain-type prefix, so the suite also runs against a provider whose database is
/// shared between tests (e.g. one PostgreSQL database) without tests seeing each other's rows.
/// </summary>
public sealed class ConformanceScope
{
    public string Prefix { get; } = $"conformance-{Guid.NewGuid():N}";

    public GrainId Grain(string grainKey = "key", string grainType = "grain") => GrainId.Create($"{Prefix}-{grainType}", grainKey);

    public bool Owns(GrainId grainId) => grainId.Type.ToString()!.StartsWith(Prefix, StringComparison.Ordinal);
}
