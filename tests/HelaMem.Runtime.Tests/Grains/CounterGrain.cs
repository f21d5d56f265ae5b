using HelaMem.Runtime.Hosting;

namespace HelaMem.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);

    [ReadOnly]
    Task<int> Current();

    ValueTask<string> Echo(string text);

    ValueTask Touch();

    Task Fail(string message);

    Task<string> HostingSilo();

    Task DeactivateSoon();
}

[GrainType("counter")]
public sealed class CounterGrain(TestProbe probe, Silo silo) : Grain, ICounterGrain
{
    private int _value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Increment($"activate:{GrainKey}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GrainKey}:{reason}");
        probe.Set($"deactivated:{GrainKey}");
        return Task.CompletedTask;
    }

    public Task<int> Add(int amount) => Task.FromResult(_value += amount);

    public Task<int> Current() => Task.FromResult(_value);

    public ValueTask<string> Echo(string text) => ValueTask.FromResult(text);

    public ValueTask Touch() => ValueTask.CompletedTask;

    public Task Fail(string message) => throw new ArgumentException(message, nameof(message));

    public Task<string> HostingSilo() => Task.FromResult(silo.Address.Endpoint);

    public Task DeactivateSoon()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

/// <summary>Collected after a fraction of a second of idleness ([CollectionAgeLimit] overrides the silo default).</summary>
public interface IShortLivedGrain : IGrainWithStringKey
{
    Task Touch();
}

[GrainType("short-lived")]
[CollectionAgeLimit(Seconds = 0.2)]
public sealed class ShortLivedGrain(TestProbe probe) : Grain, IShortLivedGrain
{
    public Task Touch() => Task.CompletedTask;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GrainKey}:{reason}");
        probe.Set($"deactivated:{GrainKey}");
        return Task.CompletedTask;
    }
}
