namespace HelaMem.Silo.Tests.Infrastructure;

/// <summary>
/// Tests that share one silo host (an Orleans silo takes seconds to start); each test uses its own tenants and users,
/// so they do not see each other. Tests that need a silo of their own (settings, restarts, activation counts) start one.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiloHostGroup : ICollectionFixture<SiloFactory>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "silo";
}
