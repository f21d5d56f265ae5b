using HelaMem.Runtime.Hosting;

namespace HelaMem.Runtime.Activation;

/// <summary>
/// Deactivates activations that have been idle (no request started or finished, nothing queued) for longer than their
/// collection age: per grain type option, else the class's [CollectionAgeLimit], else the silo default. Sweeps every
/// collection quantum, so an activation lives between its age and its age plus one quantum.
/// </summary>
internal sealed class IdleCollector : IDisposable
{
    private readonly Silo _silo;
    private readonly ITimer _timer;

    public IdleCollector(Silo silo)
    {
        _silo = silo;
        var quantum = silo.Options.CollectionQuantum;
        _timer = silo.Options.TimeProvider.CreateTimer(static s => ((IdleCollector)s!).Sweep(), this, quantum, quantum);
    }

    public void Dispose() => _timer.Dispose();

    public int Sweep()
    {
        var now = Environment.TickCount64;
        var collected = 0;
        foreach (var activation in _silo.Catalog.Activations)
        {
            if (activation.IsIdleFor(now, AgeLimit(activation)))
            {
                activation.StartDeactivation(DeactivationReason.IdleCollection);
                collected++;
            }
        }

        return collected;
    }

    private TimeSpan AgeLimit(ActivationData activation) =>
        _silo.Options.ClassSpecificCollectionAge.TryGetValue(activation.ClassInfo.GrainType, out var age)
            ? age
            : activation.ClassInfo.CollectionAge ?? _silo.Options.CollectionAge;
}
