using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Sqlite;

/// <summary>Rejects keys the schema cannot hold (its key columns are NOT NULL) before anything is queued.</summary>
internal static class GrainStateKeyValidation
{
    public static void ThrowIfInvalid(GrainStateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrEmpty(key.GrainType) || key.GrainKey is null || string.IsNullOrEmpty(key.StateName))
        {
            throw new ArgumentException($"A grain state key needs a grain type, a grain key and a state name; got type '{key.GrainType}', key '{key.GrainKey}', state '{key.StateName}'.", nameof(key));
        }

        StorableText.ThrowIfNotStorable(key.GrainType, "grain type", nameof(key));
        StorableText.ThrowIfNotStorable(key.GrainKey, "grain key", nameof(key));
        StorableText.ThrowIfNotStorable(key.StateName, "state name", nameof(key));
    }
}
