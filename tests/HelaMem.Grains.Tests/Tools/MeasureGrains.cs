#:project ../../../src/HelaMem.Grains/HelaMem.Grains.csproj
#:project ../../../src/HelaMem.Testing/HelaMem.Testing.csproj
#:property PublishAot=false
#:property TieredCompilation=false
#:property ServerGarbageCollection=true

// Measures the memory grains on Microsoft Orleans outside the test run (docs/grains.md, "Measurements"):
//   dotnet run -c Release tests/HelaMem.Grains.Tests/Tools/MeasureGrains.cs [-- <locomo dir> <conversation id> <released|helamem> [<fan-out cap>]]
//   dotnet run -c Release tests/HelaMem.Grains.Tests/Tools/MeasureGrains.cs -- <locomo dir> <conversation id> <released|helamem> tail <flush seconds> <memory|sqlite> [passes] [core]
// Every cluster is HelaMem.Testing's in-process Orleans cluster with one silo; grains are called through the silo's
// own grain factory, as the HelaMem silo's HTTP API calls them. Tiered compilation is off, as in the CLI; the garbage
// collector is the server one, as in the silo (a web project), since the tail of a retrieval is mostly GC pauses
// (part 5, the "tail" mode) and workstation GC measures a configuration the service never runs.
// 1. Retrieval latency (one Retrieve call, query embedding included) through the core's MemoryGraph and through the
//    grains (Orleans' in-memory storage) on one LoCoMo conversation, the same questions in the same order,
//    interleaved question by question: the first retrieval after ingest, warm p50/p99, and the first retrieval
//    after the graph's activation (every grain of the user deactivated first, so the graph activates, reads its
//    nodes and activates every node grain).
// 2. Ingest throughput on SQLite with synchronous=FULL (acknowledged = durable), batches of 100: one user, then 8 at once.
// 3. Memory of active user graphs (all their nodes active): managed heap and the process's working set per user and
//    per node, then again after Orleans' idle activation collection (collection age lowered to 45 s), and how many
//    active users a 24 GiB silo would hold.
// 4. The first search of a user after a silo restart (SQLite-backed cluster; the silo is stopped and started again in
//    this process, so JIT and the OS page cache stay warm).
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using System.Text.RegularExpressions;
using HelaMem.Abstractions.Contracts;
using HelaMem.Core;
using HelaMem.Core.Memory;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Sessions;
using HelaMem.Persistence.Sqlite;
using HelaMem.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

var dataDirectory = args.Length > 0 ? args[0] : FindLocomo();
var conversationId = args.Length > 1 ? args[1] : "43";
var variant = args.Length > 2 ? args[2] : "released";
var algorithm = variant switch
{
    "released" => HelaMemOptions.Default,
    "helamem" => RetrievalProfiles.HelaMem,
    _ => throw new ArgumentException($"options '{variant}': expected released or helamem"),
};
var tailMode = args.Length > 3 && args[3] == "tail";
int? fanOutCap = args.Length > 3 && !tailMode ? int.Parse(args[3], CultureInfo.InvariantCulture) : null;
const int MeasuredPasses = 3;
var (messages, questions) = ReadConversation(Path.Combine(dataDirectory, $"conv-{conversationId}.json"), conversationId);
var now = messages.Max(m => m.Timestamp);
var embedder = OfflineEmbedder.Create(null, NullLogger.Instance);
if (tailMode)
{
    await MeasureTailAsync(args[4..]);
    return;
}

Console.WriteLine($"conv-{conversationId}: {messages.Count} turns, {questions.Count} questions, embedder {embedder.Name}, options {variant}, {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {LoadAverage()}");

// 1. Retrieval: core vs grains, interleaved: each question goes through the core and then through the grains, so
// both engines see the same questions in the same order under the same cache and GC conditions, and the core's own
// (timed) answer is the parity reference. Both timings cover one full retrieval: query embedding, selection, learning,
// semantic items and context (the grains' also the call into the silo).
var core = new MemoryGraph(embedder, algorithm);
foreach (var m in messages)
{
    core.Add(new NewMemory(m.Content, m.Speaker, m.Timestamp, m.Thread));
}

await using (var cluster = await new HelaMemTestClusterBuilder()
    .UseOrleansMemoryStorage()
    .WithoutLogFiles()
    .WithEmbedder(embedder)
    .ConfigureGrains(o =>
    {
        o.Algorithm = algorithm;
        o.MaxSpreadFanOut = fanOutCap;
        o.ScheduleConsolidation = false;
    })
    .DeployAsync())
{
    var grains = SiloGrains(cluster);
    var session = new GrainRetrievalSession(grains, "bench", "user");
    await session.IngestAsync(messages, 100);
    long candidates = 0, waves = 0, fanOut = 0;
    using var listener = new System.Diagnostics.Metrics.MeterListener();
    listener.InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Meter.Name == HelaMem.Grains.Diagnostics.GrainMetrics.MeterName)
        {
            l.EnableMeasurementEvents(instrument);
        }
    };
    listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
    {
        if (instrument.Name == "helamem.grains.spread.fanout")
        {
            Interlocked.Add(ref fanOut, value);
        }
        else
        {
            Interlocked.Add(ref candidates, value);
            Interlocked.Increment(ref waves);
        }
    });
    listener.Start();
    var sameIds = 0;
    var retrievals = 0;
    var coreLatencies = new List<double>(questions.Count);
    var grainLatencies = new List<double>(questions.Count);
    var next = 0;

    async Task<(double CoreMs, double GrainMs)> RetrieveBothAsync()
    {
        var q = questions[next++ % questions.Count];
        var started = Stopwatch.GetTimestamp();
        var expected = core.Retrieve(q, now);
        var coreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        var actual = await session.RetrieveAsync(q, now);
        var grainMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        sameIds += expected.Memories.Select(x => (long)x.Node.Index).SequenceEqual(actual.Items.Select(i => i.NodeId)) ? 1 : 0;
        retrievals++;
        return (coreMs, grainMs);
    }

    // The first retrieval after ingest: the graph and its node grains are active since the ingest (JIT not yet warm).
    var afterIngest = await RetrieveBothAsync();

    // A warm-up pass of 49 more questions (JIT, learned edges), then the measured pass over every question.
    for (var i = 1; i < Math.Min(50, questions.Count); i++)
    {
        await RetrieveBothAsync();
    }

    // Three passes over the questions: a p99 of one pass (242 calls) is its third-worst call, so one collection more or
    // less decides it; over 726 calls it is the eighth-worst.
    next = 0;
    for (var i = 0; i < MeasuredPasses * questions.Count; i++)
    {
        var (coreMs, grainMs) = await RetrieveBothAsync();
        coreLatencies.Add(coreMs);
        grainLatencies.Add(grainMs);
    }

    var measuredWaves = waves;
    var measuredCandidates = candidates;
    var measuredFanOut = fanOut;

    // Cold: deactivate every grain of the user (Orleans' management grain: collect every idle activation), then the
    // next retrieval activates the graph, which reads all its nodes (activating every node grain) before answering.
    // Five times, each followed by one warm retrieval; the core answers the same questions to stay in step.
    var cold = new List<double>();
    var firstWarm = new List<double>();
    var nodesActivated = 0;
    for (var round = 0; round < 5; round++)
    {
        await DeactivateAllAsync(cluster, "bench/user");
        cold.Add((await RetrieveBothAsync()).GrainMs);
        nodesActivated = await CountActivationsAsync(cluster, "memory-node", "bench/user/");
        firstWarm.Add((await RetrieveBothAsync()).GrainMs);
    }

    Console.WriteLine($"retrievals with the same node ids as the core: {sameIds} of {retrievals} (fan-out cap: {fanOutCap?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
    Console.WriteLine($"spreading: {(double)measuredCandidates / Math.Max(1, measuredWaves):F1} candidate nodes, {(double)measuredFanOut / Math.Max(1, measuredWaves):F1} node grains asked, per retrieval on average");
    Console.WriteLine($"first retrieval after ingest (grains active since ingest, JIT cold): core {afterIngest.CoreMs:F3} ms, grains {afterIngest.GrainMs:F3} ms");
    Report("core, warm", coreLatencies);
    Report("grains, warm", grainLatencies);
    Console.WriteLine($"grains/core p50 ratio (warm): {Percentile(grainLatencies, 50) / Percentile(coreLatencies, 50):F2}");
    Console.WriteLine($"grains, first retrieval after the graph's activation (in-memory storage; {nodesActivated} node grains active after it): {Join(cold)} ms (median {Percentile(cold, 50):F3}); the retrieval after each: {Join(firstWarm)} ms");
}

// 2, 3 and 4 on SQLite with synchronous FULL, idle collection after 45 s without calls.
var collectionAge = TimeSpan.FromSeconds(45);
await using (var cluster = await new HelaMemTestClusterBuilder()
    .WithoutLogFiles()
    .WithEmbedder(embedder)
    .ConfigureGrains(o =>
    {
        o.Algorithm = algorithm;
        o.ScheduleConsolidation = false;
    })
    .ConfigureSilo(silo =>
    {
        silo.Services.Configure<SqliteStorageOptions>(HelaMemGrains.StorageName, o => o.Synchronous = SqliteSynchronousMode.Full);
        silo.Services.Configure<SqliteStorageOptions>(SqliteSiloBuilderExtensions.ReminderOptionsName, o => o.Synchronous = SqliteSynchronousMode.Full);
        silo.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = collectionAge;
            o.CollectionQuantum = TimeSpan.FromSeconds(5);
        });
    })
    .DeployAsync())
{
    var synchronous = cluster.Cluster.GetSiloServiceProvider().GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(HelaMemGrains.StorageName).Synchronous;
    if (synchronous != SqliteSynchronousMode.Full)
    {
        throw new InvalidOperationException($"grain storage runs synchronous={synchronous}, not FULL");
    }

    var grains = SiloGrains(cluster);
    var warm = new GrainRetrievalSession(grains, "bench", "warm-up");
    await warm.IngestAsync(messages.Take(200), 100);

    var one = Stopwatch.StartNew();
    await new GrainRetrievalSession(grains, "bench", "single").IngestAsync(messages, 100);
    one.Stop();
    Console.WriteLine($"ingest, 1 user, batches of 100, SQLite FULL: {messages.Count / one.Elapsed.TotalSeconds:F0} turns/s");

    var before = Measure();
    var users = 8;
    var sessions = Enumerable.Range(0, users).Select(u => new GrainRetrievalSession(grains, "bench", $"user-{u}")).ToList();
    var many = Stopwatch.StartNew();
    await Task.WhenAll(sessions.Select(s => s.IngestAsync(messages, 100)));
    many.Stop();
    Console.WriteLine($"ingest, {users} users at once, batches of 100, SQLite FULL: {users * messages.Count / many.Elapsed.TotalSeconds:F0} turns/s");

    // One retrieval per user: their graphs are active with every node grain (activated by the ingest).
    foreach (var s in sessions)
    {
        await s.RetrieveAsync(questions[0], now);
    }

    var activeNodes = await CountActivationsAsync(cluster, "memory-node", "bench/user-");
    var active = Measure();
    var nodes = users * messages.Count;
    var perUser = (active.WorkingSet - before.WorkingSet) / (double)users;
    Console.WriteLine($"memory, {users} active user graphs of {messages.Count} nodes ({activeNodes} of their node grains active): managed heap +{Mib(active.Heap - before.Heap)} MiB, working set +{Mib(active.WorkingSet - before.WorkingSet)} MiB (process {Mib(active.WorkingSet)} MiB)");
    Console.WriteLine($"  per active user: managed {Kib((active.Heap - before.Heap) / (double)users)} KiB, working set {Kib(perUser)} KiB; per node: managed {(active.Heap - before.Heap) / (double)nodes:F0} B, working set {(active.WorkingSet - before.WorkingSet) / (double)nodes:F0} B");

    // Orleans' idle collection: wait until the activation collector has deactivated every grain of these users.
    var idleWait = Stopwatch.StartNew();
    int remaining;
    do
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        remaining = await CountActivationsAsync(cluster, null, "bench/");
    }
    while (remaining > 0 && idleWait.Elapsed < TimeSpan.FromMinutes(4));

    var idle = Measure();
    Console.WriteLine($"after idle collection (collection age {collectionAge.TotalSeconds:F0} s, {remaining} activations of the users left after {idleWait.Elapsed.TotalSeconds:F0} s): managed heap {Mib(idle.Heap - before.Heap):+0.0;-0.0} MiB, working set {Mib(idle.WorkingSet - before.WorkingSet):+0.0;-0.0} MiB against before the {users} users (process {Mib(idle.WorkingSet)} MiB)");
    var silo = 24.0 * 1024 * 1024 * 1024;
    Console.WriteLine($"  a 24 GiB silo: (24 GiB - {Mib(idle.WorkingSet)} MiB idle process) / {Kib(perUser)} KiB per active user = {(silo - idle.WorkingSet) / perUser:F0} active users of {messages.Count} nodes (managed heap only: {(silo - idle.WorkingSet) / ((active.Heap - before.Heap) / (double)users):F0})");

    // 4. Restart the silo (stop, start again on the same SQLite file), then the first search of users whose grains
    // were all collected: tenant, graph (reading every node) and node activations from SQLite.
    var restart = Stopwatch.StartNew();
    var restarted = await cluster.Cluster.RestartSiloAsync(cluster.Cluster.Silos[0]) ?? throw new InvalidOperationException("no silo restarted");
    restart.Stop();
    var grainsAfter = restarted.ServiceProvider.GetRequiredService<IGrainFactory>();
    var firsts = new List<double>();
    var seconds = new List<double>();
    for (var u = 0; u < 3; u++)
    {
        var user = new GrainRetrievalSession(grainsAfter, "bench", $"user-{u}");
        var started = Stopwatch.GetTimestamp();
        await user.RetrieveAsync(questions[1], now);
        firsts.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        started = Stopwatch.GetTimestamp();
        await user.RetrieveAsync(questions[2], now);
        seconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    Console.WriteLine($"silo restart (stop and start, in process): {restart.Elapsed.TotalMilliseconds:F0} ms; first search of a user after it (SQLite FULL, {messages.Count} node grains read): {Join(firsts)} ms (users 0, 1, 2); the second search of each: {Join(seconds)} ms");
}

Console.WriteLine($"load average at the end: {LoadAverage()}");

// 5. Where the tail of a retrieval through the grains comes from: every call timed with the collections and GC pause
// that happened during it, after a warm-up pass; slow calls (> 2 ms) split into those that saw a collection and those
// that did not. Options: <flush seconds> <memory|sqlite> [passes] [core]; "core" puts the same question through the
// core engine before each grain call, as part 1 does, so its allocations fall between the grain calls.
async Task MeasureTailAsync(string[] options)
{
    var flush = TimeSpan.FromSeconds(double.Parse(options[0], CultureInfo.InvariantCulture));
    var storage = options[1];
    var passes = options.Length > 2 ? int.Parse(options[2], CultureInfo.InvariantCulture) : 3;
    var interleaveCore = options.Length > 3 && options[3] == "core";
    Console.WriteLine($"conv-{conversationId}: {messages.Count} turns, {questions.Count} questions x {passes}{(interleaveCore ? " (core between grain calls)" : "")}, options {variant}, flush {flush.TotalSeconds} s, storage {storage}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}, load {LoadAverage()}");
    var builder = new HelaMemTestClusterBuilder()
        .WithoutLogFiles()
        .WithEmbedder(embedder)
        .ConfigureGrains(o =>
        {
            o.Algorithm = algorithm;
            o.ScheduleConsolidation = false;
            o.WeightFlushInterval = flush;
        });
    string? sqliteDirectory = null;
    if (storage == "memory")
    {
        builder.UseOrleansMemoryStorage();
    }
    else
    {
        sqliteDirectory = Path.Combine(Path.GetTempPath(), "helamem-tail-" + Guid.NewGuid().ToString("N"));
        builder.UseDataDirectory(sqliteDirectory)
            .ConfigureSilo(silo => silo.Services.Configure<SqliteStorageOptions>(HelaMemGrains.StorageName, o => o.Synchronous = SqliteSynchronousMode.Full));
    }

    await using (var cluster = await builder.DeployAsync())
    {
        var grains = cluster.Cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();
        var core = new MemoryGraph(embedder, algorithm);
        foreach (var m in messages)
        {
            core.Add(new NewMemory(m.Content, m.Speaker, m.Timestamp, m.Thread));
        }

        var session = new GrainRetrievalSession(grains, "bench", "user");
        await session.IngestAsync(messages, 100);
        foreach (var q in questions)
        {
            if (interleaveCore)
            {
                core.Retrieve(q, now);
            }

            await session.RetrieveAsync(q, now);
        }

        var calls = new List<(double Ms, int Gen0, int Gen1, int Gen2, double PauseMs)>();
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var q in questions)
            {
                if (interleaveCore)
                {
                    core.Retrieve(q, now);
                }

                int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
                var pause = GC.GetTotalPauseDuration();
                var started = Stopwatch.GetTimestamp();
                await session.RetrieveAsync(q, now);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                calls.Add((ms, GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2, (GC.GetTotalPauseDuration() - pause).TotalMilliseconds));
            }
        }

        var latencies = calls.Select(c => c.Ms).ToList();
        var slow = calls.Where(c => c.Ms > 2).ToList();
        var withGc = slow.Where(c => c.Gen0 + c.Gen1 + c.Gen2 > 0).ToList();
        var callsWithGc = calls.Where(c => c.Gen0 + c.Gen1 + c.Gen2 > 0).ToList();
        Console.WriteLine($"grains: p50 {Percentile(latencies, 50):F3} ms, p90 {Percentile(latencies, 90):F3} ms, p99 {Percentile(latencies, 99):F3} ms, max {latencies.Max():F3} ms ({calls.Count} calls)");
        Console.WriteLine($"calls that saw a collection: {callsWithGc.Count} (gen0 {callsWithGc.Sum(c => c.Gen0)}, gen1 {callsWithGc.Sum(c => c.Gen1)}, gen2 {callsWithGc.Sum(c => c.Gen2)}), their median {(callsWithGc.Count > 0 ? Percentile([.. callsWithGc.Select(c => c.Ms)], 50) : 0):F3} ms, GC pause in them {callsWithGc.Sum(c => c.PauseMs):F1} ms in all");
        Console.WriteLine($"calls over 2 ms: {slow.Count}; with a collection {withGc.Count} (pause {withGc.Sum(c => c.PauseMs):F1} ms of {withGc.Sum(c => c.Ms):F1} ms), without {slow.Count - withGc.Count} ({slow.Where(c => c.Gen0 + c.Gen1 + c.Gen2 == 0).Sum(c => c.Ms):F1} ms)");
        Console.WriteLine($"slowest: {string.Join(", ", calls.OrderByDescending(c => c.Ms).Take(8).Select(c => $"{c.Ms:F1} ms{(c.Gen0 + c.Gen1 + c.Gen2 > 0 ? $" (gc {c.Gen0}/{c.Gen1}/{c.Gen2}, pause {c.PauseMs:F1})" : "")}"))}");
    }

    if (sqliteDirectory is not null)
    {
        Directory.Delete(sqliteDirectory, recursive: true);
    }
}

static IGrainFactory SiloGrains(HelaMemTestCluster cluster) => cluster.Cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();

// Deactivates every idle activation (Orleans' management grain) and waits until none of the user's grains is left.
static async Task DeactivateAllAsync(HelaMemTestCluster cluster, string graphKey)
{
    var management = cluster.GrainFactory.GetGrain<IManagementGrain>(0);
    for (var attempt = 0; attempt < 100; attempt++)
    {
        await management.ForceActivationCollection(TimeSpan.Zero);
        if (await CountActivationsAsync(cluster, null, graphKey) == 0)
        {
            return;
        }

        await Task.Delay(50);
    }

    throw new InvalidOperationException($"the grains of {graphKey} did not deactivate");
}

// Activations of one grain type (all HelaMem types when null) whose key starts with the prefix.
static async Task<int> CountActivationsAsync(HelaMemTestCluster cluster, string? grainType, string keyPrefix)
{
    var found = await cluster.FindActivationsAsync(grainType is null ? [.. HelaMemGrains.GrainTypes] : [grainType]);
    return found.Keys.Count(id => id.Key.ToString()!.StartsWith(keyPrefix, StringComparison.Ordinal));
}

// Managed heap and working set after compacting, decommitting full collections.
static (long Heap, long WorkingSet) Measure()
{
    for (var i = 0; i < 2; i++)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    using var process = Process.GetCurrentProcess();
    return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
}

static string Mib(double bytes) => (bytes / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture);

static string Kib(double bytes) => (bytes / 1024).ToString("F0", CultureInfo.InvariantCulture);

static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static void Report(string engine, List<double> latencies) =>
    Console.WriteLine($"retrieval via {engine}: p50 {Percentile(latencies, 50):F3} ms, p99 {Percentile(latencies, 99):F3} ms, max {latencies.Max():F3} ms ({latencies.Count} calls)");

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static string FindLocomo()
{
    for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
    {
        var candidate = Path.Combine(d.FullName, "shared", "datasets", "locomo");
        if (Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new DirectoryNotFoundException("Pass the LoCoMo directory as the first argument.");
}

static (List<IngestMessage> Messages, List<string> Questions) ReadConversation(string path, string id)
{
    using var document = JsonDocument.Parse(File.ReadAllBytes(path));
    var root = document.RootElement;
    var messages = new List<IngestMessage>();
    for (var session = 1; root.TryGetProperty($"session_{session}", out var turns); session++)
    {
        var match = Regex.Match(root.GetProperty($"session_{session}_date_time").GetString()!, @"(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),\s*(\d{4})", RegexOptions.IgnoreCase);
        var hour = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) % 12 + (match.Groups[3].Value.Equals("pm", StringComparison.OrdinalIgnoreCase) ? 12 : 0);
        var date = new DateTimeOffset(int.Parse(match.Groups[6].Value, CultureInfo.InvariantCulture), DateTime.ParseExact(match.Groups[5].Value, "MMMM", CultureInfo.InvariantCulture).Month,
            int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture), hour, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0, TimeSpan.Zero);
        foreach (var turn in turns.EnumerateArray())
        {
            var speaker = turn.GetProperty("speaker").GetString()!;
            var text = $"{speaker}: {turn.GetProperty("text").GetString()}";
            if (turn.TryGetProperty("blip_caption", out var caption) && caption.ValueKind == JsonValueKind.String)
            {
                text += $" [shares {caption.GetString()}]";
            }

            messages.Add(new IngestMessage(text, speaker, date, id));
        }
    }

    return (messages, [.. root.GetProperty("qa").EnumerateArray().Select(q => q.GetProperty("question").GetString()!)]);
}
