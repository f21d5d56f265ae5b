namespace HelaMem.Client.Contracts;

/// <summary>Creates a tenant.</summary>
/// <param name="Name">The tenant id (letters, digits, '-', '_', '.', '@'; at most 128).</param>
/// <param name="Quotas">Quotas (null: defaults).</param>
/// <param name="Retrieval">Retrieval parameter overrides (null: the silo's defaults).</param>
public sealed record CreateTenantRequest(string? Name, TenantQuotas? Quotas = null, RetrievalSettings? Retrieval = null);

/// <summary>
/// A tenant's retrieval parameter overrides; null keeps the silo's default. A user graph reads them when it is
/// activated, so a change reaches a user's next request (the silo deactivates the tenant's active graphs).
/// </summary>
/// <param name="TopK">k: items of the base pathway (1 … 100).</param>
/// <param name="MaxFlipped">m: at most this many flipped items (0 … 100).</param>
/// <param name="Profile">
/// The retrieval profile of users created from now on: "paper" (the published algorithm) or "helamem" (HelaMem's
/// recommended configuration); null: the silo's default (<c>HelaMem:Retrieval:Profile</c>). A user keeps the profile
/// its memory graph was created with.
/// </param>
public sealed record RetrievalSettings(int? TopK = null, int? MaxFlipped = null, string? Profile = null);

/// <summary>Changes a tenant's settings: a section that is given replaces that section whole, one left out is kept.</summary>
/// <param name="Quotas">The new quotas (a field left out takes its default; maxUsers null is unlimited).</param>
/// <param name="Retrieval">The new retrieval overrides (a field left out, or null, is the silo's default).</param>
/// <param name="Llm">
/// The tenant's LLM provider override (a field left out, or null, keeps the silo's value; an object with no field set
/// removes the override). Refused when the silo has no provider.
/// </param>
public sealed record TenantSettingsUpdate(TenantQuotas? Quotas = null, RetrievalSettings? Retrieval = null, TenantLlmSettings? Llm = null);

/// <summary>
/// A tenant's changes to the silo's LLM provider (<c>HelaMem:Llm</c>); null fields keep the silo's value. There is no
/// key: the silo's own is sent, so the endpoint must be the silo's or one listed in <c>HelaMem:Llm:TenantEndpoints</c>.
/// </summary>
/// <param name="Endpoint">The provider address (the silo's, or one of its TenantEndpoints).</param>
/// <param name="ChatModel">The chat model (openai) or chat deployment name (azure-openai).</param>
/// <param name="EmbeddingModel">The embedding model (openai) or embedding deployment name (azure-openai).</param>
/// <param name="ApiVersion">Azure OpenAI's api-version (azure-openai only).</param>
public sealed record TenantLlmSettings(string? Endpoint = null, string? ChatModel = null, string? EmbeddingModel = null, string? ApiVersion = null);

/// <summary>A tenant's quotas.</summary>
/// <param name="MaxUsers">Most users with memories (null: unlimited).</param>
/// <param name="MaxMessagesPerIngest">Most messages in one ingest.</param>
/// <param name="MaxMessageLength">Longest message, in characters.</param>
public sealed record TenantQuotas(int? MaxUsers = null, int MaxMessagesPerIngest = 1000, int MaxMessageLength = 16_384);

/// <summary>A new tenant and its first API key (shown only once).</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="KeyId">The key's id (for revocation).</param>
/// <param name="ApiKey">The secret API key.</param>
public sealed record IssuedApiKey(string Tenant, string KeyId, string ApiKey);

/// <summary>An API key as listed (never the secret).</summary>
/// <param name="Id">The key id.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
public sealed record ApiKeyInfo(string Id, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A tenant as operators see it.</summary>
/// <param name="Name">The tenant id.</param>
/// <param name="Disabled">Whether its keys are refused.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Quotas">Its quotas.</param>
/// <param name="Keys">Its API keys.</param>
/// <param name="Retrieval">Its retrieval parameter overrides (null fields: the silo's defaults).</param>
/// <param name="NewUserProfile">The retrieval profile a user created now gets: <c>Retrieval.Profile</c>, else the silo's default.</param>
/// <param name="Llm">The tenant's LLM provider override, or null when it uses the silo's provider as configured.</param>
public sealed record TenantInfo(string Name, bool Disabled, DateTimeOffset CreatedAt, TenantQuotas Quotas, IReadOnlyList<ApiKeyInfo> Keys, RetrievalSettings? Retrieval = null, string? NewUserProfile = null, TenantLlmSettings? Llm = null);

/// <summary>Every tenant.</summary>
/// <param name="Tenants">The tenants, by name.</param>
public sealed record TenantList(IReadOnlyList<TenantInfo> Tenants);

/// <summary>A tenant's usage.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Users">Users with memories.</param>
/// <param name="MessagesIngested">Messages ingested.</param>
/// <param name="Retrievals">Searches served.</param>
/// <param name="UsersDeleted">Users deleted.</param>
public sealed record TenantStats(string Tenant, long Users, long MessagesIngested, long Retrievals, long UsersDeleted);

/// <summary>The cluster as operators see it.</summary>
/// <param name="Silo">This silo's address.</param>
/// <param name="Status">Its status.</param>
/// <param name="Activations">Grain activations it holds.</param>
/// <param name="Tenants">Tenants.</param>
/// <param name="Embedder">The sentence embedder in use.</param>
/// <param name="DataDirectory">The silo's data directory (the operator key; grain state and reminders too on the embedded profile).</param>
/// <param name="DeploymentProfile">Where membership, grain state and reminders live: <c>embedded</c> (SQLite in the data directory) or <c>azure</c> (Azure Storage).</param>
public sealed record ClusterStats(string Silo, string Status, int Activations, int Tenants, string Embedder, string DataDirectory, string DeploymentProfile);
