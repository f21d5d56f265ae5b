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
/// <param name="Llm">
/// The tenant's changes to the silo's LLM provider (null: the silo's provider as configured). Validated against the
/// silo's <c>HelaMem:Llm</c> settings by the operator route that sets it; never holds a key.
/// </param>
[GenerateSerializer, Immutable, Alias("helamem.TenantSettings")]
public sealed record TenantSettings([Id(0)] int? MaxUsers = null, [Id(1)] int MaxMessagesPerIngest = 1000, [Id(2)] int MaxMessageLength = 16_384, [Id(3)] int? TopK = null, [Id(4)] int? MaxFlipped = null, [Id(5)] string? Profile = null, [Id(6)] TenantLlmOverride? Llm = null);

/// <summary>
/// A tenant's LLM provider override, as stored with its settings: null fields keep the silo's value. No key: the
/// silo's own is sent, which is why the endpoint must be one the operator allows (<c>HelaMem:Llm:TenantEndpoints</c>).
/// </summary>
/// <param name="Endpoint">The provider address, or null for the silo's.</param>
/// <param name="ChatModel">The chat model or Azure deployment, or null.</param>
/// <param name="EmbeddingModel">The embedding model or Azure deployment, or null.</param>
/// <param name="ApiVersion">Azure OpenAI's api-version, or null.</param>
[GenerateSerializer, Immutable, Alias("helamem.TenantLlmOverride")]
public sealed record TenantLlmOverride([Id(0)] string? Endpoint = null, [Id(1)] string? ChatModel = null, [Id(2)] string? EmbeddingModel = null, [Id(3)] string? ApiVersion = null)
{
    /// <summary>The longest value a field may hold (an address or a model name).</summary>
    public const int MaxFieldLength = 2048;

    /// <summary>True when nothing is overridden (storing it means: no override).</summary>
    public bool IsEmpty => Endpoint is null && ChatModel is null && EmbeddingModel is null && ApiVersion is null;
}

/// <summary>A tenant's usage counters.</summary>
/// <param name="Users">Users that have a memory graph.</param>
/// <param name="MessagesIngested">Messages ingested.</param>
/// <param name="Retrievals">Retrievals served.</param>
/// <param name="UsersDeleted">Users deleted.</param>
/// <param name="ConsolidationRuns">Consolidation runs of the tenant's owners (counted since the tenant grain kept the count).</param>
/// <param name="SemanticItems">Semantic items consolidation added, less those deleted with their owner (counted likewise).</param>
[GenerateSerializer, Immutable, Alias("helamem.TenantUsage")]
public sealed record TenantUsage([Id(0)] long Users, [Id(1)] long MessagesIngested, [Id(2)] long Retrievals, [Id(3)] long UsersDeleted, [Id(4)] long ConsolidationRuns = 0, [Id(5)] long SemanticItems = 0);

/// <summary>A page of a tenant's memory owners.</summary>
/// <param name="Owners">The owners' key segments (<c>alice</c>, <c>agent~bot</c>, <c>run~r1</c>), ordered by (scope, id).</param>
/// <param name="More">Whether owners follow the last one.</param>
/// <param name="Complete">
/// Whether the tenant's list names every owner: false only for a tenant stored before it kept the list, which had
/// users then (those not seen since are missing).
/// </param>
[GenerateSerializer, Immutable, Alias("helamem.OwnerListPage")]
public sealed record OwnerListPage([Id(0)] IReadOnlyList<string> Owners, [Id(1)] bool More, [Id(2)] bool Complete);
