namespace HelaMem.Silo.Grains;

/// <summary>The persistent state of a tenant's access record.</summary>
public sealed class TenantAccessState
{
    /// <summary>Whether the tenant was created.</summary>
    public bool Exists { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Whether its keys are refused.</summary>
    public bool Disabled { get; set; }

    /// <summary>Its keys (revoked ones stay listed).</summary>
    public List<StoredKey> Keys { get; set; } = [];
}

/// <summary>A stored API key: its id and the SHA-256 hash of its secret.</summary>
public sealed class StoredKey
{
    /// <summary>The key id.</summary>
    public string Id { get; set; } = "";

    /// <summary>SHA-256 of the secret, lowercase hex.</summary>
    public string Hash { get; set; } = "";

    /// <summary>When it was issued.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was revoked, or null.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
