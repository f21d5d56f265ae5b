namespace HelaMem.Silo.Tests.Infrastructure;

/// <summary>Tests that share one silo host; each test uses its own tenants, so they do not see each other.</summary>
[CollectionDefinition(Name)]
public sealed class SiloHostGroup : ICollectionFixture<SiloFactory>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "silo";
}
