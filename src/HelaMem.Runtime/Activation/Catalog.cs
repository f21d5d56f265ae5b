using System.Collections.Concurrent;
using HelaMem.Runtime.Hosting;
using HelaMem.Runtime.Metadata;

namespace HelaMem.Runtime.Activation;

/// <summary>The activations of one silo, keyed by grain id. At most one per grain: creation is an atomic insert.</summary>
internal sealed class Catalog(Silo silo)
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();

    public int Count => _activations.Count;

    public ICollection<ActivationData> Activations => _activations.Values;

    public bool TryGet(GrainId grainId, out ActivationData activation) => _activations.TryGetValue(grainId, out activation!);

    /// <summary>The activation of <paramref name="grainId"/>, creating and starting it when none exists.</summary>
    public ActivationData GetOrCreate(GrainId grainId, GrainClassInfo info)
    {
        if (_activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }

        var created = new ActivationData(silo, grainId, info);
        var winner = _activations.GetOrAdd(grainId, created);
        if (ReferenceEquals(winner, created))
        {
            created.Start();
        }

        return winner;
    }

    public void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
}
