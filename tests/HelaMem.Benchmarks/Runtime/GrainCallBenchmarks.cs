using BenchmarkDotNet.Attributes;
using HelaMem.Runtime;
using HelaMem.Runtime.Hosting;

namespace HelaMem.Benchmarks.Runtime;

/// <summary>
/// Local grain calls on one silo (no storage): the latency of one call from outside a grain, the throughput of many
/// concurrent calls from outside and from inside a grain, and a 1→32 fan-out with gathered results.
/// Per-call time for the batched benchmarks is the reported mean (OperationsPerInvoke), so calls/s = 1 / mean.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainCall*' --job short --inProcess</c>
/// (in-process: on a loaded machine the out-of-process toolchain's build of the boilerplate project can time out).
/// Per core: the same command under <c>taskset -c 0 env DOTNET_PROCESSOR_COUNT=1</c> (after a build, with
/// <c>--no-build</c>) confines the process, its thread pool and the GC to one core, so 1 / mean of the batched cases
/// is calls per second per core. tests/HelaMem.Runtime.Tests/Tools/MeasureGrainCalls.cs reports CPU time per call.
/// </summary>
[MemoryDiagnoser]
public class GrainCallBenchmarks
{
    private const int Batch = 2000;
    private const int Targets = 64;

    private readonly Task<int>[] _pending = new Task<int>[Batch];
    private Silo _silo = null!;
    private IPingGrain _ping = null!;
    private IPingGrain[] _targets = [];
    private IPingGrain _driver = null!;
    private IFanOutGrain _fanOut = null!;

    // Synchronous setup: BenchmarkDotNet does not await an async GlobalSetup in every toolchain.
    [GlobalSetup]
    public void Setup()
    {
        _silo = new SiloBuilder().AddGrainAssembly(typeof(PingGrain).Assembly).Build();
        _silo.StartAsync().GetAwaiter().GetResult();
        var grains = _silo.GrainFactory;
        _ping = grains.GetGrain<IPingGrain>("bench/single");
        _targets = [.. Enumerable.Range(0, Targets).Select(i => grains.GetGrain<IPingGrain>($"bench/client/t{i}"))];
        _driver = grains.GetGrain<IPingGrain>("bench/driver");
        _fanOut = grains.GetGrain<IFanOutGrain>("tenant/user");
        Warm().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One call from outside a grain, awaited: the round-trip latency.</summary>
    [Benchmark]
    public Task<int> SingleCall() => _ping.Ping(1);

    /// <summary>Many concurrent calls from outside grains over 64 activations.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> ConcurrentCallsFromClient()
    {
        for (var i = 0; i < Batch; i++)
        {
            _pending[i] = _targets[i % Targets].Ping(i);
        }

        var sum = 0;
        foreach (var task in _pending)
        {
            sum += await task;
        }

        return sum;
    }

    /// <summary>Many concurrent grain-to-grain calls over 64 activations (the shape of a spreading wave).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public Task<int> ConcurrentCallsBetweenGrains() => _driver.Drive(Batch, Targets);

    /// <summary>A user-graph grain fans out to 32 co-located node grains and gathers their results (called from outside).</summary>
    [Benchmark]
    public Task<double> FanOut32() => _fanOut.Spread(32);

    private async Task Warm()
    {
        await SingleCall();
        await ConcurrentCallsFromClient();
        await ConcurrentCallsBetweenGrains();
        await FanOut32();
    }
}
