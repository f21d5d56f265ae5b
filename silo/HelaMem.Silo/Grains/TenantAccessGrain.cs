using HelaMem.Grains.Hosting;
using System.Security.Cryptography;
using System.Text;

namespace HelaMem.Silo.Grains;

/// <summary>A tenant's access record: existence, disabled flag, API key hashes.</summary>
[GrainType("tenant-access")]
public sealed class TenantAccessGrain([PersistentState("access", HelaMemGrains.StorageName)] IPersistentState<TenantAccessState> stored) : Grain, ITenantAccessGrain
{
    private TenantAccessState Access => stored.State;

    /// <inheritdoc />
    public async Task<bool> Create(string keyId, string keyHash, DateTimeOffset now)
    {
        if (Access.Exists)
        {
            return false;
        }

        Access.Exists = true;
        Access.CreatedAt = now;
        Access.Keys = [new StoredKey { Id = keyId, Hash = keyHash, CreatedAt = now }];
        await stored.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<TenantAccessRecord?> Describe() => Task.FromResult(Record());

    /// <inheritdoc />
    public async Task<TenantAccessRecord?> SetDisabled(bool disabled)
    {
        if (!Access.Exists)
        {
            return null;
        }

        if (Access.Disabled != disabled)
        {
            Access.Disabled = disabled;
            await stored.WriteStateAsync();
        }

        return Record();
    }

    /// <inheritdoc />
    public async Task<bool> AddKey(string keyId, string keyHash, DateTimeOffset now)
    {
        if (!Access.Exists)
        {
            return false;
        }

        Access.Keys.Add(new StoredKey { Id = keyId, Hash = keyHash, CreatedAt = now });
        await stored.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeKey(string keyId, DateTimeOffset now)
    {
        var key = Access.Exists ? Access.Keys.Find(k => k.Id == keyId && k.RevokedAt is null) : null;
        if (key is null)
        {
            return false;
        }

        key.RevokedAt = now;
        await stored.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<int> RevokeAll(DateTimeOffset now)
    {
        var active = Access.Exists ? Access.Keys.FindAll(k => k.RevokedAt is null) : [];
        if (active.Count > 0)
        {
            active.ForEach(key => key.RevokedAt = now);
            await stored.WriteStateAsync();
        }

        return active.Count;
    }

    /// <inheritdoc />
    public async Task Clear()
    {
        await stored.ClearStateAsync();
        stored.State = new TenantAccessState();
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public Task<KeyCheck> Verify(string keyId, string presentedHash)
    {
        if (!Access.Exists)
        {
            return Task.FromResult(KeyCheck.Invalid);
        }

        // Compare against every active key with that id in constant time, so timing reveals nothing about the hash.
        var presented = Encoding.ASCII.GetBytes(presentedHash);
        var match = false;
        foreach (var key in Access.Keys)
        {
            var same = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.Hash), presented);
            match |= same && key.RevokedAt is null && string.Equals(key.Id, keyId, StringComparison.Ordinal);
        }

        return Task.FromResult(!match ? KeyCheck.Invalid : Access.Disabled ? KeyCheck.TenantDisabled : KeyCheck.Valid);
    }

    private TenantAccessRecord? Record() => Access.Exists
        ? new TenantAccessRecord(this.GetPrimaryKeyString(), Access.Disabled, Access.CreatedAt, [.. Access.Keys.Select(k => new KeyRecord(k.Id, k.CreatedAt, k.RevokedAt))])
        : null;
}
