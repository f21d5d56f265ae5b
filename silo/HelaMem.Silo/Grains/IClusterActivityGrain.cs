using Orleans.Concurrency;

namespace HelaMem.Silo.Grains;

/// <summary>
/// The latest activity window of every silo (one activation, key <see cref="Key"/>): each silo pushes its own every
/// few seconds, and the operators' stats route merges them. Held in memory only: after a restart or a move of the
/// activation the silos fill it again within one push period.
/// </summary>
[Alias("helamem.silo.IClusterActivityGrain")]
public interface IClusterActivityGrain : IGrainWithIntegerKey
{
    /// <summary>The grain's only key.</summary>
    const long Key = 0;

    /// <summary>Replaces the silo's window with a newer one.</summary>
    Task Report(SiloActivity activity);

    /// <summary>The latest window of every silo that reported within <paramref name="maxAge"/>.</summary>
    [ReadOnly]
    Task<IReadOnlyList<SiloActivity>> Latest(TimeSpan maxAge);
}
