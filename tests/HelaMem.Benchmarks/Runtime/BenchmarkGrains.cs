using HelaMem.Runtime;

namespace HelaMem.Benchmarks.Runtime;

/// <summary>The smallest useful grain call: an argument in, a result out.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);

    /// <summary>Makes <paramref name="calls"/> concurrent calls to <paramref name="targets"/> ping grains (grain-to-grain, no client hop).</summary>
    Task<int> Drive(int calls, int targets);
}

[GrainType("bench-ping")]
public sealed class PingGrain : Grain, IPingGrain
{
    public Task<int> Ping(int value) => Task.FromResult(value + 1);

    public async Task<int> Drive(int calls, int targets)
    {
        var pending = new Task<int>[calls];
        for (var i = 0; i < calls; i++)
        {
            pending[i] = GrainFactory.GetGrain<IPingGrain>($"{GrainKey}/t{i % targets}").Ping(i);
        }

        var sum = 0;
        foreach (var result in await Task.WhenAll(pending))
        {
            sum += result;
        }

        return sum;
    }
}

/// <summary>The user-graph shape: one grain fans out to its nodes (co-located by the tenant/user prefix) and gathers.</summary>
public interface IFanOutGrain : IGrainWithStringKey
{
    Task<double> Spread(int fanOut);
}

/// <summary>A node's contribution to a spreading wave.</summary>
public interface IFanOutNodeGrain : IGrainWithStringKey
{
    Task<double> Contribute(double activation);
}

[GrainType("bench-fan")]
[KeyPrefixPlacement(2)]
public sealed class FanOutGrain : Grain, IFanOutGrain
{
    private IFanOutNodeGrain[] _nodes = [];

    public async Task<double> Spread(int fanOut)
    {
        if (_nodes.Length != fanOut)
        {
            _nodes = [.. Enumerable.Range(0, fanOut).Select(i => GrainFactory.GetGrain<IFanOutNodeGrain>($"{GrainKey}/n{i}"))];
        }

        var pending = new Task<double>[fanOut];
        for (var i = 0; i < fanOut; i++)
        {
            pending[i] = _nodes[i].Contribute(0.5);
        }

        var total = 0.0;
        foreach (var contribution in await Task.WhenAll(pending))
        {
            total += contribution;
        }

        return total;
    }
}

[GrainType("bench-fan-node")]
[KeyPrefixPlacement(2)]
public sealed class FanOutNodeGrain : Grain, IFanOutNodeGrain
{
    private readonly double _weight = 0.3;

    public Task<double> Contribute(double activation) => Task.FromResult(activation * _weight);
}
