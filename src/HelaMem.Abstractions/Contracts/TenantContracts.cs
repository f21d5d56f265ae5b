using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>A tenant's settings: quotas and retrieval parameter overrides (null: the service default).</summary>
/// <param name="MaxUsers">Most users with a memory graph (null: unlimited).</param>
/// <param name="MaxMessagesPerIngest">Most messages in one ingest call.</param>
/// <param name="MaxMessageLength">Longest message, in characters.</param>
/// <param name="TopK">Override of k (base-pathway items).</param>
/// <param name="MaxFlipped">Override of m (flipped items).</param>
/// <param name="Profile">
/// The retrieval profile of users created from now on ("paper" or "helamem", <c>HelaMem.Core.RetrievalProfiles</c>);
/// null: the silo's default. A user's graph keeps the profile it was created with (it shapes the stored index).
/// </param>
[GenerateSerializer, Immutable, Alias("helamem.TenantSettings")]
public sealed record TenantSettings([Id(0)] int? MaxUsers = null, [Id(1)] int MaxMessagesPerIngest = 1000, [Id(2)] int MaxMessageLength = 16_384, [Id(3)] int? TopK = null, [Id(4)] int? MaxFlipped = null, [Id(5)] string? Profile = null);

/// <summary>A tenant's usage counters.</summary>
/// <param name="Users">Users that have a memory graph.</param>
/// <param name="MessagesIngested">Messages ingested.</param>
/// <param name="Retrievals">Retrievals served.</param>
/// <param name="UsersDeleted">Users deleted.</param>
[GenerateSerializer, Immutable, Alias("helamem.TenantUsage")]
public sealed record TenantUsage([Id(0)] long Users, [Id(1)] long MessagesIngested, [Id(2)] long Retrievals, [Id(3)] long UsersDeleted);
