using System.Collections.Concurrent;
using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Placement;

namespace HelaMem.Runtime.Placement;

/// <summary>
/// The grain directory of silos in one process: one shared dictionary with atomic first-writer-wins registration,
/// which is what makes "at most one activation per grain" hold across those silos.
/// </summary>
public sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly ConcurrentDictionary<GrainId, SiloAddress> _owners = new();

    /// <summary>How many grains are registered.</summary>
    public int Count => _owners.Count;

    /// <inheritdoc />
    public ValueTask<SiloAddress> RegisterAsync(GrainId grainId, SiloAddress silo, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_owners.GetOrAdd(grainId, silo));

    /// <inheritdoc />
    public ValueTask UnregisterAsync(GrainId grainId, SiloAddress silo, CancellationToken cancellationToken = default)
    {
        _owners.TryRemove(new KeyValuePair<GrainId, SiloAddress>(grainId, silo));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SiloAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_owners.TryGetValue(grainId, out var silo) ? silo : null);

    /// <inheritdoc />
    public ValueTask UnregisterSiloAsync(SiloAddress silo, CancellationToken cancellationToken = default)
    {
        foreach (var entry in _owners)
        {
            if (entry.Value == silo)
            {
                _owners.TryRemove(entry);
            }
        }

        return ValueTask.CompletedTask;
    }
}
