namespace HelaMem.Runtime.Membership;

/// <summary>
/// The membership view a silo sees: which silos exist and in which state. In one process it is a shared object;
/// across processes a membership table with heartbeats and probes implements it.
/// </summary>
public interface IClusterMembership
{
    /// <summary>The current snapshot.</summary>
    MembershipSnapshot Current { get; }

    /// <summary>Raised after every change, with the new snapshot. Handlers must not block.</summary>
    event EventHandler<MembershipSnapshot>? Changed;

    /// <summary>Records <paramref name="silo"/>'s new status.</summary>
    ValueTask UpdateStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken = default);
}

/// <summary>An immutable membership snapshot.</summary>
/// <param name="Version">Increases with every change.</param>
/// <param name="Members">Every known silo and its status.</param>
public sealed record MembershipSnapshot(long Version, IReadOnlyDictionary<SiloAddress, SiloStatus> Members)
{
    /// <summary>The silos that accept new activations, ordered by endpoint.</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos { get; } =
        [.. Members.Where(m => m.Value == SiloStatus.Active).Select(m => m.Key).OrderBy(s => s.Endpoint, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="silo"/> is still serving (active or shutting down).</summary>
    public bool IsServing(SiloAddress silo) =>
        Members.TryGetValue(silo, out var status) && status is SiloStatus.Active or SiloStatus.ShuttingDown;
}
