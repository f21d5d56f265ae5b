using Orleans;
using Orleans.Concurrency;

namespace HelaMem.Benchmarks.Runtime;

/// <summary>The smallest useful grain call: an argument in, a result out.</summary>
[Alias("bench.IPingGrain")]
public interface IPingGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="value"/> + 1.</summary>
    Task<int> Ping(int value);
}

/// <summary>Drives calls from inside a grain, so no client hop is measured.</summary>
[Alias("bench.IDriverGrain")]
public interface IDriverGrain : IGrainWithStringKey
{
    /// <summary>Makes <paramref name="calls"/> calls to one ping grain, one after another, each awaited.</summary>
    Task<int> Sequential(int calls);

    /// <summary>Makes <paramref name="calls"/> concurrent calls spread over <paramref name="targets"/> ping grains and awaits them all.</summary>
    Task<int> Concurrent(int calls, int targets);

    /// <summary><paramref name="waves"/> times, one after another: asks <paramref name="fanOut"/> node grains for a contribution and sums the answers.</summary>
    Task<double> FanOut(int waves, int fanOut);

    /// <summary><paramref name="waves"/> times: sends <paramref name="fanOut"/> one-way updates and returns without waiting for them.</summary>
    Task OneWayFanOut(int waves, int fanOut);

    /// <summary><paramref name="waves"/> times, one after another: sends <paramref name="fanOut"/> one-way updates and waits until every one has run.</summary>
    Task OneWayFanOutDelivered(int waves, int fanOut);
}

/// <summary>A node of the fan-out: the shape of a spreading wave (ask and gather) and of a Hebbian update (one-way).</summary>
[Alias("bench.IFanOutNodeGrain")]
public interface IFanOutNodeGrain : IGrainWithStringKey
{
    /// <summary>The node's contribution to a wave.</summary>
    Task<double> Contribute(double activation);

    /// <summary>A one-way update; <paramref name="wave"/> names the wave it belongs to (delivery is counted per wave).</summary>
    [OneWay]
    Task Update(long wave);
}

/// <summary>See <see cref="IPingGrain"/>.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    /// <inheritdoc />
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}

/// <summary>See <see cref="IDriverGrain"/>. Its targets' keys start with its own key, so drivers never share targets.</summary>
public sealed class DriverGrain : Grain, IDriverGrain
{
    private IPingGrain[] _targets = [];
    private IFanOutNodeGrain[] _nodes = [];
    private long _wave;

    /// <inheritdoc />
    public async Task<int> Sequential(int calls)
    {
        var target = Targets(1)[0];
        var sum = 0;
        for (var i = 0; i < calls; i++)
        {
            sum += await target.Ping(i);
        }

        return sum;
    }

    /// <inheritdoc />
    public async Task<int> Concurrent(int calls, int targets)
    {
        var grains = Targets(targets);
        var pending = new Task<int>[calls];
        for (var i = 0; i < calls; i++)
        {
            pending[i] = grains[i % targets].Ping(i);
        }

        var sum = 0;
        foreach (var result in await Task.WhenAll(pending))
        {
            sum += result;
        }

        return sum;
    }

    /// <inheritdoc />
    public async Task<double> FanOut(int waves, int fanOut)
    {
        var nodes = Nodes(fanOut);
        var pending = new Task<double>[fanOut];
        var total = 0.0;
        for (var wave = 0; wave < waves; wave++)
        {
            for (var i = 0; i < fanOut; i++)
            {
                pending[i] = nodes[i].Contribute(0.5);
            }

            foreach (var contribution in await Task.WhenAll(pending))
            {
                total += contribution;
            }
        }

        return total;
    }

    /// <inheritdoc />
    public Task OneWayFanOut(int waves, int fanOut)
    {
        var nodes = Nodes(fanOut);
        for (var wave = 0; wave < waves; wave++)
        {
            var id = ++_wave;
            for (var i = 0; i < fanOut; i++)
            {
                _ = nodes[i].Update(id);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task OneWayFanOutDelivered(int waves, int fanOut)
    {
        var nodes = Nodes(fanOut);
        for (var wave = 0; wave < waves; wave++)
        {
            var id = ++_wave;
            var delivered = DeliveryCounter.Expect(id, fanOut);
            for (var i = 0; i < fanOut; i++)
            {
                _ = nodes[i].Update(id);
            }

            await delivered;
        }
    }

    private IPingGrain[] Targets(int count)
    {
        if (_targets.Length < count)
        {
            var key = this.GetPrimaryKeyString();
            _targets = [.. Enumerable.Range(0, count).Select(i => GrainFactory.GetGrain<IPingGrain>($"{key}/t{i}"))];
        }

        return _targets;
    }

    private IFanOutNodeGrain[] Nodes(int count)
    {
        if (_nodes.Length != count)
        {
            var key = this.GetPrimaryKeyString();
            _nodes = [.. Enumerable.Range(0, count).Select(i => GrainFactory.GetGrain<IFanOutNodeGrain>($"{key}/n{i}"))];
        }

        return _nodes;
    }
}

/// <summary>See <see cref="IFanOutNodeGrain"/>.</summary>
public sealed class FanOutNodeGrain : Grain, IFanOutNodeGrain
{
    private readonly double _weight = 0.3;
    private long _updates;

    /// <inheritdoc />
    public Task<double> Contribute(double activation) => Task.FromResult(activation * _weight);

    /// <inheritdoc />
    public Task Update(long wave)
    {
        _updates++;
        DeliveryCounter.Delivered(wave);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Counts the one-way updates of the wave a driver waits for (one silo in this process, so a static is enough):
/// the last one completes the driver's task. Waves nobody waits for are ignored.
/// </summary>
internal static class DeliveryCounter
{
    private static readonly Lock Gate = new();
    private static long _wave;
    private static int _remaining;
    private static TaskCompletionSource? _done;

    public static Task Expect(long wave, int updates)
    {
        lock (Gate)
        {
            _wave = wave;
            _remaining = updates;
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _done.Task;
        }
    }

    public static void Delivered(long wave)
    {
        TaskCompletionSource? done = null;
        lock (Gate)
        {
            if (wave == _wave && --_remaining == 0)
            {
                done = _done;
                _done = null;
            }
        }

        done?.TrySetResult();
    }
}
