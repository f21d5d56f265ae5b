using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using HelaMem.Runtime;
using HelaMem.Runtime.Hosting;

namespace HelaMem.Benchmarks.Runtime;

/// <summary>
/// Local grain calls on one silo (no storage): the latency of one call from outside a grain, the throughput of many
/// concurrent calls from outside and from inside a grain, and a 1→32 fan-out with gathered results.
/// Per-call time for the batched benchmarks is the reported mean (OperationsPerInvoke), so calls/s = 1 / mean.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainCall*' --job short --inProcess</c>.
/// </summary>
/// <remarks>
/// The machines are shared, so wall-clock time per call also measures other people's builds. Each case therefore
/// also prints, at its cleanup, the process CPU time it consumed per operation over all its iterations (pilot,
/// warm-up and measured): "calls per CPU-second" is the per-core throughput the targets are stated in, and it is far
/// less sensitive to load from other processes. Look for lines starting with <c>// CPU</c> in the output.
/// </remarks>
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
    private TimeSpan _cpuAtStart;
    private long _operations;
    private string _case = "";

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
        _operations = 0;
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;
        if (_operations > 0)
        {
            Console.WriteLine($"// CPU {_case}: {cpu.TotalMicroseconds / _operations:F3} us of CPU per operation = {_operations / cpu.TotalSeconds:N0} operations per CPU-second ({_operations:N0} operations, {Environment.ProcessorCount} cores)");
        }

        _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One call from outside a grain, awaited: the round-trip latency.</summary>
    [Benchmark]
    public Task<int> SingleCall()
    {
        Count(nameof(SingleCall), 1);
        return _ping.Ping(1);
    }

    /// <summary>Many concurrent calls from outside grains over 64 activations.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> ConcurrentCallsFromClient()
    {
        Count(nameof(ConcurrentCallsFromClient), Batch);
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
    public Task<int> ConcurrentCallsBetweenGrains()
    {
        Count(nameof(ConcurrentCallsBetweenGrains), Batch);
        return _driver.Drive(Batch, Targets);
    }

    /// <summary>A user-graph grain fans out to 32 co-located node grains and gathers their results (called from outside).</summary>
    [Benchmark]
    public Task<double> FanOut32()
    {
        Count(nameof(FanOut32), 1);
        return _fanOut.Spread(32);
    }

    // A field increment per invocation (not per call): negligible next to a grain call.
    private void Count(string benchmark, int operations)
    {
        _case = benchmark;
        _operations += operations;
    }

    private async Task Warm()
    {
        await SingleCall();
        await ConcurrentCallsFromClient();
        await ConcurrentCallsBetweenGrains();
        await FanOut32();
    }
}
