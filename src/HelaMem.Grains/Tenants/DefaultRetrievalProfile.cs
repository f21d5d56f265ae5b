using HelaMem.Core;

namespace HelaMem.Grains.Tenants;

/// <summary>
/// The silo's default retrieval profile for tenants that set none (a silo service; the HelaMem silo registers it from
/// <c>HelaMem:Retrieval:Profile</c>). A silo without it runs "paper": the configured <c>HelaMemGrainOptions.Algorithm</c>
/// unchanged, so hosts that pass their own algorithm options get exactly those.
/// </summary>
public sealed class DefaultRetrievalProfile
{
    /// <summary>Creates the setting; throws <see cref="ArgumentException"/> naming the allowed values for an unknown profile.</summary>
    public DefaultRetrievalProfile(string name)
    {
        RetrievalProfiles.Validate(name, nameof(name));
        Name = name;
    }

    /// <summary>The profile name.</summary>
    public string Name { get; }
}
