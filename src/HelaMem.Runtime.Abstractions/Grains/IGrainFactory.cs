namespace HelaMem.Runtime;

/// <summary>Creates references to grains. References are cheap, need no activation and may be kept and shared.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is null, empty or contains a control character.</exception>
    /// <exception cref="InvalidOperationException">No grain class implements the interface, or several do and none was named.</exception>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;

    /// <summary>
    /// A reference to the grain of <typeparamref name="TGrainInterface"/> with <paramref name="key"/>, implemented by
    /// the grain class whose grain type is <paramref name="grainType"/> (for interfaces with several implementations).
    /// </summary>
    TGrainInterface GetGrain<TGrainInterface>(string key, string grainType)
        where TGrainInterface : IGrainWithStringKey;
}
