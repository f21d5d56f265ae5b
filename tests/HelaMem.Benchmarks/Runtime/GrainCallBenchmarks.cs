using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.TestingHost;

namespace HelaMem.Benchmarks.Runtime;

/// <summary>
/// The cost of a Microsoft Orleans 10.4.2 grain call on one in-process silo (Orleans' <see cref="InProcessTestCluster"/>,
/// no storage, no HelaMem grains or call filters), for the shapes HelaMem's memory grains use:
/// <list type="bullet">
/// <item><see cref="HostedClientCall"/>: one awaited call through the silo's own grain factory, as the HelaMem silo's
/// HTTP API calls a user graph; <see cref="ExternalClientCall"/>: the same through a cluster client that reaches the
/// silo through its gateway (the test cluster's in-memory transport: serialization and the gateway, no network).</item>
/// <item><see cref="GrainToGrainCall"/>: one awaited call from a grain to another grain of the same silo, 100 in a row.</item>
/// <item><see cref="ConcurrentGrainToGrainCalls"/>: 2,000 concurrent calls from a grain over 64 grains (throughput).</item>
/// <item><see cref="FanOut32Gathered"/>: a grain asks 32 grains and sums their answers (a spreading wave), 10 waves in a row.</item>
/// <item><see cref="OneWayFanOut32"/>: a grain sends 32 one-way calls (a Hebbian update) and goes on, 10 waves: the
/// sender's cost only, the receivers run afterwards; <see cref="OneWayFanOut32Delivered"/>: each wave waits until its
/// 32 calls have run.</item>
/// </list>
/// The grain-side cases run inside one driver grain, so the client hop (one <see cref="HostedClientCall"/>) is spread
/// over the operations of an invocation; the reported mean is per call, or per wave for the fan-outs
/// (OperationsPerInvoke), and 1 / mean of the batched cases is calls (waves) per second.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainCallBenchmarks*' --job short --inProcess</c>
/// (in-process: on a loaded machine the out-of-process toolchain's build of the boilerplate project can time out).
/// Per core: the same command under <c>taskset -c 0 env DOTNET_PROCESSOR_COUNT=1</c> (after a build, with
/// <c>--no-build</c>) confines the process, its thread pool and the GC to one core.
/// </summary>
[MemoryDiagnoser]
public class GrainCallBenchmarks
{
    private const int Sequential = 100;
    private const int Batch = 2000;
    private const int Targets = 64;
    private const int Waves = 10;
    private const int FanOut = 32;

    private InProcessTestCluster _cluster = null!;
    private IPingGrain _hostedPing = null!;
    private IPingGrain _externalPing = null!;
    private IDriverGrain _sequential = null!;
    private IDriverGrain _concurrent = null!;
    private IDriverGrain _fanOut = null!;
    private IDriverGrain _oneWay = null!;

    // Synchronous setup: BenchmarkDotNet does not await an async GlobalSetup in every toolchain.
    [GlobalSetup]
    public void Setup()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        _cluster = builder.Build();
        _cluster.DeployAsync().GetAwaiter().GetResult();
        var silo = _cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();
        _hostedPing = silo.GetGrain<IPingGrain>("bench/hosted");
        _externalPing = _cluster.Client.GetGrain<IPingGrain>("bench/external");
        _sequential = silo.GetGrain<IDriverGrain>("bench/sequential");
        _concurrent = silo.GetGrain<IDriverGrain>("bench/concurrent");
        _fanOut = silo.GetGrain<IDriverGrain>("bench/fan-out");
        _oneWay = silo.GetGrain<IDriverGrain>("bench/one-way");

        // Every activation exists before the first measurement, and the code is jitted.
        HostedClientCall().GetAwaiter().GetResult();
        ExternalClientCall().GetAwaiter().GetResult();
        GrainToGrainCall().GetAwaiter().GetResult();
        ConcurrentGrainToGrainCalls().GetAwaiter().GetResult();
        FanOut32Gathered().GetAwaiter().GetResult();
        OneWayFanOut32Delivered().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One awaited call through the silo's own grain factory (the HelaMem API's path into a grain).</summary>
    [Benchmark]
    public Task<int> HostedClientCall() => _hostedPing.Ping(1);

    /// <summary>One awaited call from a cluster client through the silo's gateway (in-memory transport).</summary>
    [Benchmark]
    public Task<int> ExternalClientCall() => _externalPing.Ping(1);

    /// <summary>One awaited grain-to-grain call (100 in a row per invocation).</summary>
    [Benchmark(OperationsPerInvoke = Sequential)]
    public Task<int> GrainToGrainCall() => _sequential.Sequential(Sequential);

    /// <summary>2,000 concurrent grain-to-grain calls over 64 grains, per call.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public Task<int> ConcurrentGrainToGrainCalls() => _concurrent.Concurrent(Batch, Targets);

    /// <summary>A grain asks 32 grains and gathers their answers, per wave (10 in a row per invocation).</summary>
    [Benchmark(OperationsPerInvoke = Waves)]
    public Task<double> FanOut32Gathered() => _fanOut.FanOut(Waves, FanOut);

    /// <summary>A grain sends 32 one-way calls, per wave: the sender's cost (the receivers run after it returns).</summary>
    [Benchmark(OperationsPerInvoke = Waves)]
    public Task OneWayFanOut32() => _oneWay.OneWayFanOut(Waves, FanOut);

    /// <summary>A grain sends 32 one-way calls and waits until all have run, per wave.</summary>
    [Benchmark(OperationsPerInvoke = Waves)]
    public Task OneWayFanOut32Delivered() => _oneWay.OneWayFanOutDelivered(Waves, FanOut);
}
