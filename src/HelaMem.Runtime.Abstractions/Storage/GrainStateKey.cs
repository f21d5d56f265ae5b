namespace HelaMem.Runtime.Storage;

/// <summary>Identifies one named state of one grain in a storage provider.</summary>
/// <param name="GrainType">The grain's stable type name.</param>
/// <param name="GrainKey">The grain's key.</param>
/// <param name="StateName">The name of the state (a grain may have several).</param>
public sealed record GrainStateKey(string GrainType, string GrainKey, string StateName)
{
    /// <summary>The key of state <paramref name="stateName"/> of grain <paramref name="grainId"/>.</summary>
    public static GrainStateKey For(GrainId grainId, string stateName) => new(grainId.Type, grainId.Key, stateName);

    /// <inheritdoc />
    public override string ToString() => $"{GrainType}/{GrainKey}#{StateName}";
}
