namespace HelaMem.Runtime.Storage;

/// <summary>Rejects state keys that some provider could not store, so every provider refuses the same keys before changing anything.</summary>
public static class GrainStateKeyValidation
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
