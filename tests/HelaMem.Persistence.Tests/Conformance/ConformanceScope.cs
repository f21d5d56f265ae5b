using HelaMem.Runtime;
using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// Gives each test its own grain-type prefix, so the suite also runs against a provider whose database is
/// shared between tests (e.g. one PostgreSQL database) without tests seeing each other's rows.
/// </summary>
public sealed class ConformanceScope
{
    public string Prefix { get; } = $"conformance-{Guid.NewGuid():N}";

    public GrainStateKey StateKey(string grainKey = "key", string stateName = "state", string grainType = "grain") =>
        new($"{Prefix}-{grainType}", grainKey, stateName);

    public GrainId Grain(string grainKey = "key", string grainType = "grain") => new($"{Prefix}-{grainType}", grainKey);

    public bool Owns(GrainId grainId) => grainId.Type.StartsWith(Prefix, StringComparison.Ordinal);
}
