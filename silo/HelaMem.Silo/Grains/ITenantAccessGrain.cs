using Orleans.Concurrency;

namespace HelaMem.Silo.Grains;

/// <summary>
/// A tenant's access record (key: the tenant id): whether it exists or is disabled, and the SHA-256 hashes of its
/// API keys. Persisted as grain state, so tenants and keys survive restarts.
/// </summary>
[Alias("helamem.silo.ITenantAccessGrain")]
public interface ITenantAccessGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant with its first key; false (changing nothing) when it already exists.</summary>
    Task<bool> Create(string keyId, string keyHash, DateTimeOffset now);

    /// <summary>The record, or null when the tenant does not exist.</summary>
    [ReadOnly]
    Task<TenantAccessRecord?> Describe();

    /// <summary>Disables or enables the tenant; null when it does not exist.</summary>
    Task<TenantAccessRecord?> SetDisabled(bool disabled);

    /// <summary>Adds a key; false when the tenant does not exist.</summary>
    Task<bool> AddKey(string keyId, string keyHash, DateTimeOffset now);

    /// <summary>Revokes a key; false when the tenant or an active key with that id does not exist.</summary>
    Task<bool> RevokeKey(string keyId, DateTimeOffset now);

    /// <summary>Revokes every active key (part of a tenant delete); returns how many were active (0 when the tenant does not exist).</summary>
    Task<int> RevokeAll(DateTimeOffset now);

    /// <summary>Removes the record (part of a tenant delete): the tenant no longer exists and a new one of that name starts empty.</summary>
    Task Clear();

    /// <summary>Checks a presented key against the stored hashes (constant-time comparison).</summary>
    [ReadOnly]
    Task<KeyCheck> Verify(string keyId, string presentedHash);
}

/// <summary>The outcome of a key check.</summary>
[GenerateSerializer, Alias("helamem.silo.KeyCheck")]
public enum KeyCheck
{
    /// <summary>No such tenant, key, or the secret does not match (the caller cannot tell which).</summary>
    Invalid,

    /// <summary>The key is valid but the tenant is disabled.</summary>
    TenantDisabled,

    /// <summary>The key is valid.</summary>
    Valid,
}

/// <summary>A tenant's access record as the API shows it (never the hashes).</summary>
/// <param name="Tenant">The tenant id.</param>
/// <param name="Disabled">Whether its keys are refused.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Keys">Its keys.</param>
[GenerateSerializer, Immutable, Alias("helamem.silo.TenantAccessRecord")]
public sealed record TenantAccessRecord([Id(0)] string Tenant, [Id(1)] bool Disabled, [Id(2)] DateTimeOffset CreatedAt, [Id(3)] IReadOnlyList<KeyRecord> Keys);

/// <summary>An API key without its hash.</summary>
/// <param name="Id">The key id.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
[GenerateSerializer, Immutable, Alias("helamem.silo.KeyRecord")]
public sealed record KeyRecord([Id(0)] string Id, [Id(1)] DateTimeOffset CreatedAt, [Id(2)] DateTimeOffset? RevokedAt);
