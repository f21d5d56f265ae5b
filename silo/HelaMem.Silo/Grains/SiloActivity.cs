namespace HelaMem.Silo.Grains;

/// <summary>One silo's activity over its recent window, as it pushes it to the <see cref="IClusterActivityGrain"/>.</summary>
/// <param name="Silo">The silo's address.</param>
/// <param name="TakenAt">When the silo took it.</param>
/// <param name="WindowSeconds">The seconds the counts cover (shorter than the window just after the silo started).</param>
/// <param name="Tenants">The tenants with any activity in the window.</param>
/// <param name="StorageCommitLatency">Storage commits in the window by <c>LatencyBuckets</c> bucket.</param>
[GenerateSerializer, Immutable, Alias("helamem.silo.SiloActivity")]
public sealed record SiloActivity(
    [Id(0)] string Silo,
    [Id(1)] DateTimeOffset TakenAt,
    [Id(2)] double WindowSeconds,
    [Id(3)] IReadOnlyList<TenantActivityWindow> Tenants,
    [Id(4)] long[] StorageCommitLatency);

/// <summary>One tenant's activity on one silo over the window.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Ingests">Acknowledged ingests (synchronous, and accepted asynchronous jobs).</param>
/// <param name="Searches">Answered searches (each search of a batch).</param>
/// <param name="Refusals">Requests refused by the tenant's rate limit.</param>
/// <param name="InputTokens">Tokens sent to an LLM provider.</param>
/// <param name="OutputTokens">Tokens returned by an LLM provider.</param>
/// <param name="SearchLatency">Search durations by <c>LatencyBuckets</c> bucket.</param>
[GenerateSerializer, Immutable, Alias("helamem.silo.TenantActivityWindow")]
public sealed record TenantActivityWindow(
    [Id(0)] string Tenant,
    [Id(1)] long Ingests,
    [Id(2)] long Searches,
    [Id(3)] long Refusals,
    [Id(4)] long InputTokens,
    [Id(5)] long OutputTokens,
    [Id(6)] long[] SearchLatency);
