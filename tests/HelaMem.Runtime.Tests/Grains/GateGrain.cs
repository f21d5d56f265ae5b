namespace HelaMem.Runtime.Tests.Grains;

/// <summary>Methods that block on test-controlled gates, to observe which requests the runtime lets run together.</summary>
public interface IGateGrain : IGrainWithStringKey
{
    Task Block(string id);

    [ReadOnly]
    Task BlockReadOnly(string id);

    [AlwaysInterleave]
    Task<string> Interleaved(string id);

    [OneWay]
    Task Fire(string id);

    Task<string> WaitForCancellation(string id, CancellationToken cancellationToken);

    Task Ping();
}

/// <summary>Shared behaviour; the two grain classes differ only in reentrancy.</summary>
public abstract class GateGrainBase(TestProbe probe) : Grain, IGateGrain
{
    public async Task Block(string id)
    {
        probe.Record($"enter {id}");
        probe.Set($"entered {id}");
        await probe.Gate($"open {id}");
        probe.Record($"exit {id}");
    }

    public Task BlockReadOnly(string id) => Block(id);

    public Task<string> Interleaved(string id)
    {
        probe.Record($"interleaved {id}");
        return Task.FromResult(id);
    }

    public async Task Fire(string id)
    {
        await probe.Gate($"open {id}");
        probe.Record($"fired {id}");
        probe.Set($"fired {id}");
    }

    public async Task<string> WaitForCancellation(string id, CancellationToken cancellationToken)
    {
        probe.Set($"entered {id}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "not cancelled";
        }
        catch (OperationCanceledException)
        {
            probe.Set($"cancelled {id}");
            throw;
        }
    }

    public Task Ping() => Task.CompletedTask;
}

[GrainType("gate")]
public sealed class GateGrain(TestProbe probe) : GateGrainBase(probe);

[GrainType("reentrant-gate")]
[Reentrant]
public sealed class ReentrantGateGrain(TestProbe probe) : GateGrainBase(probe);
