#:project ../../HelaMem.Benchmarks/HelaMem.Benchmarks.csproj
#:property PublishAot=false

// Measures local grain calls with the grains of GrainCallBenchmarks (tests/HelaMem.Benchmarks/Runtime), reporting what
// BenchmarkDotNet does not: the process's CPU time per call, which gives calls per second per core directly and stays
// meaningful on a machine shared with other work (wall-clock figures there mostly measure the other processes).
//   dotnet run -c Release tests/HelaMem.Runtime.Tests/Tools/MeasureGrainCalls.cs [-- <seconds per case, default 5>]
// Cases (the benchmark's): client = 2 000 concurrent calls from outside grains over 64 activations; between = one
// grain makes 2 000 concurrent calls to 64 grains; fan = a grain calls 32 co-located grains and gathers (33 calls,
// latency p50 over sampled fan-outs); single = one awaited call from outside.
// CPU time counts every thread of the process (thread-pool spinning and the GC included), so calls/s/core is
// calls / CPU seconds.
using System.Diagnostics;
using System.Globalization;
using HelaMem.Benchmarks.Runtime;
using HelaMem.Runtime;
using HelaMem.Runtime.Hosting;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var silo = new SiloBuilder().AddGrainAssembly(typeof(PingGrain).Assembly).Build();
await silo.StartAsync();
var grains = silo.GrainFactory;
var single = grains.GetGrain<IPingGrain>("bench/single");
var fan = grains.GetGrain<IFanOutGrain>("tenant/user");
var driver = grains.GetGrain<IPingGrain>("bench/driver");
var targets = Enumerable.Range(0, 64).Select(i => grains.GetGrain<IPingGrain>($"bench/client/t{i}")).ToArray();
var pending = new Task<int>[2000];

Console.WriteLine($"processors {Environment.ProcessorCount}, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("case      calls/op  wall µs/call  CPU µs/call  calls/s/core  p50 µs/op  B/call  gen0  gen1  gen2");
foreach (var name in new[] { "single", "client", "between", "fan" })
{
    Func<Task<int>> once = name switch
    {
        "single" => async () => { await single.Ping(1); return 1; },
        "client" => async () =>
        {
            for (var i = 0; i < pending.Length; i++)
            {
                pending[i] = targets[i % targets.Length].Ping(i);
            }

            foreach (var task in pending)
            {
                await task;
            }

            return pending.Length;
        },
        "between" => async () => { await driver.Drive(2000, 64); return 2000; },
        _ => async () => { await fan.Spread(32); return 33; },
    };

    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < 1)
    {
        await once();
    }

    // Every op's latency until the array is full (a growing list would itself cause gen2 collections).
    var samples = new double[1 << 20];
    var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    long calls = 0;
    long ops = 0;
    var wall = Stopwatch.StartNew();
    while (wall.Elapsed.TotalSeconds < seconds)
    {
        var start = Stopwatch.GetTimestamp();
        calls += await once();
        if (ops < samples.Length)
        {
            samples[ops] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        ops++;
    }

    wall.Stop();
    var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
    var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    var sampled = samples.AsSpan(0, (int)Math.Min(ops, samples.Length));
    sampled.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-8} {calls / ops,9} {wall.Elapsed.TotalMicroseconds / calls,13:F3} {cpuUs / calls,12:F3} {calls / (cpuUs / 1e6),13:N0} {sampled[sampled.Length / 2],10:F1} {bytes / (double)calls,7:F0} {GC.CollectionCount(0) - gen0,5} {GC.CollectionCount(1) - gen1,5} {GC.CollectionCount(2) - gen2,5}"));
}

Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
await silo.DisposeAsync();
