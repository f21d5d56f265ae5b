namespace HelaMem.Runtime.Tests.Grains;

/// <summary>Fails its activation while the probe's "fail-activation" signal is not set.</summary>
public interface IFlakyActivationGrain : IGrainWithStringKey
{
    Task<int> Answer();
}

[GrainType("flaky-activation")]
public sealed class FlakyActivationGrain(TestProbe probe) : Grain, IFlakyActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Increment("flaky-activations");
        return probe.IsSet("healthy")
            ? Task.CompletedTask
            : throw new InvalidOperationException($"dependency of {GrainKey} is down");
    }

    public Task<int> Answer() => Task.FromResult(42);
}
