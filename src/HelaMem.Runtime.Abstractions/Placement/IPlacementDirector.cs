using HelaMem.Runtime.Membership;

namespace HelaMem.Runtime.Placement;

/// <summary>Chooses the silo on which a new activation is created.</summary>
public interface IPlacementDirector
{
    /// <summary>
    /// The silo for a new activation of <paramref name="grainId"/>, whose placement key is <paramref name="placementKey"/>.
    /// Must be deterministic for a given key and candidate set, so every silo makes the same choice.
    /// </summary>
    SiloAddress Place(GrainId grainId, string placementKey, IReadOnlyList<SiloAddress> candidates);
}

/// <summary>
/// The grain directory: which silo holds the single activation of a grain. Registration is atomic, so two silos
/// racing to activate the same grain agree on one winner.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>Registers <paramref name="silo"/> as the owner unless another silo already is; returns the owner.</summary>
    ValueTask<SiloAddress> RegisterAsync(GrainId grainId, SiloAddress silo, CancellationToken cancellationToken = default);

    /// <summary>Removes the registration if <paramref name="silo"/> holds it.</summary>
    ValueTask UnregisterAsync(GrainId grainId, SiloAddress silo, CancellationToken cancellationToken = default);

    /// <summary>The owner of <paramref name="grainId"/>, or null.</summary>
    ValueTask<SiloAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>Removes every registration of <paramref name="silo"/> (the silo died or stopped).</summary>
    ValueTask UnregisterSiloAsync(SiloAddress silo, CancellationToken cancellationToken = default);
}
