#:project ../../../src/HelaMem.Grains/HelaMem.Grains.csproj
#:project ../../../src/HelaMem.TestingHost/HelaMem.TestingHost.csproj
#:property PublishAot=false

// Measures the memory grains outside the test run (docs/performance.md, "Grains"):
//   dotnet run -c Release tests/HelaMem.Grains.Tests/Tools/MeasureGrains.cs [-- <locomo dir> <conversation id> <released|helamem> [<fan-out cap>]]
// 1. Retrieval latency (p50/p99 of one Retrieve call, query embedding included) through the core's MemoryGraph and
//    through the grains (one silo, in-memory storage) on the same LoCoMo conversation, same questions, same order,
//    interleaved question by question.
// 2. Ingest throughput with SQLite durability (synchronous=FULL), batches of 100 turns: one user, then 8 users at once.
// 3. Managed memory per resident node: the heap growth of a silo holding 8 ingested graphs, divided by their nodes.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HelaMem.Abstractions.Contracts;
using HelaMem.Core;
using HelaMem.Core.Memory;
using HelaMem.Core.Text;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Sessions;
using HelaMem.TestingHost;
using Microsoft.Extensions.Logging.Abstractions;

var dataDirectory = args.Length > 0 ? args[0] : FindLocomo();
var conversationId = args.Length > 1 ? args[1] : "43";
var variant = args.Length > 2 ? args[2] : "released";
var algorithm = variant == "helamem"
    ? HelaMemOptions.Default with { StemKeywords = true, InheritPreviousKeywords = true, KeywordWeighting = KeywordWeighting.Idf, SpreadingWeight = 0.5f, ReinforcementTopN = 3 }
    : HelaMemOptions.Default;
int? fanOutCap = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null;
var (messages, questions) = ReadConversation(Path.Combine(dataDirectory, $"conv-{conversationId}.json"), conversationId);
var now = messages.Max(m => m.Timestamp);
var embedder = OfflineEmbedder.Create(null, NullLogger.Instance);
Console.WriteLine($"conv-{conversationId}: {messages.Count} turns, {questions.Count} questions, embedder {embedder.Name}, options {variant}, {Environment.ProcessorCount} cores");

// 1. Retrieval: core vs grains, interleaved: each question goes through the core and then through the grains, so
// both engines see the same questions in the same order under the same cache and GC conditions, and the core's own
// (timed) answer is the parity reference. Both timings cover one full retrieval: query embedding, selection, learning,
// semantic items and context (the grains' also the call into the silo).
var core = new MemoryGraph(embedder, algorithm);
foreach (var m in messages)
{
    core.Add(new NewMemory(m.Content, m.Speaker, m.Timestamp, m.Thread));
}

await using (var cluster = await new TestClusterBuilder().AddGrainAssembly(HelaMemGrains.Assembly).ConfigureSilo(s => s.AddHelaMemGrains(o => { o.Algorithm = algorithm; o.MaxSpreadFanOut = fanOutCap; }, embedder)).DeployAsync())
{
    var session = new GrainRetrievalSession(cluster.GrainFactory, "bench", "user");
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
    var coreLatencies = new List<double>(questions.Count);
    var grainLatencies = new List<double>(questions.Count);

    // One warm-up pass of 50 questions (JIT, activations), then the measured pass; both through both engines.
    foreach (var (q, measured) in questions.Take(50).Select(q => (q, false)).Concat(questions.Select(q => (q, true))))
    {
        var started = Stopwatch.GetTimestamp();
        var expected = core.Retrieve(q, now);
        var coreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        var actual = await session.RetrieveAsync(q, now);
        var grainMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        sameIds += expected.Memories.Select(x => (long)x.Node.Index).SequenceEqual(actual.Items.Select(i => i.NodeId)) ? 1 : 0;
        if (measured)
        {
            coreLatencies.Add(coreMs);
            grainLatencies.Add(grainMs);
        }
    }

    Console.WriteLine($"retrievals with the same node ids as the core: {sameIds} of {questions.Count + Math.Min(50, questions.Count)} (fan-out cap: {fanOutCap?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
    Console.WriteLine($"spreading: {(double)candidates / Math.Max(1, waves):F1} candidate nodes, {(double)fanOut / Math.Max(1, waves):F1} node grains asked, per retrieval on average");
    Report("core", coreLatencies);
    Report("grains", grainLatencies);
    Console.WriteLine($"grains/core p50 ratio: {Percentile(grainLatencies, 50) / Percentile(coreLatencies, 50):F2}");
}

// 2 and 3. Ingest with SQLite durability, and memory per resident node.
var directory = Path.Combine(Path.GetTempPath(), "helamem-measure-" + Guid.NewGuid().ToString("N"));
try
{
    await using var cluster = await new TestClusterBuilder().AddGrainAssembly(HelaMemGrains.Assembly).UseSqliteStorage(directory)
        .ConfigureSilo(s => s.AddHelaMemGrains(o => o.ScheduleConsolidation = false, embedder)).DeployAsync();
    var warm = new GrainRetrievalSession(cluster.GrainFactory, "bench", "warm-up");
    await warm.IngestAsync(messages.Take(200), 100);

    var one = Stopwatch.StartNew();
    await new GrainRetrievalSession(cluster.GrainFactory, "bench", "single").IngestAsync(messages, 100);
    one.Stop();
    Console.WriteLine($"ingest, 1 user, batches of 100, SQLite FULL: {messages.Count / one.Elapsed.TotalSeconds:F0} turns/s");

    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    var users = 8;
    var many = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, users).Select(u => new GrainRetrievalSession(cluster.GrainFactory, "bench", $"user-{u}").IngestAsync(messages, 100)));
    many.Stop();
    Console.WriteLine($"ingest, {users} users at once, batches of 100, SQLite FULL: {users * messages.Count / many.Elapsed.TotalSeconds:F0} turns/s");
    var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"managed heap per resident node (node grain + its share of the user graph, {users * messages.Count} nodes): {(heapAfter - heapBefore) / (double)(users * messages.Count):F0} bytes");
}
finally
{
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
    }
}

static void Report(string engine, List<double> latencies) =>
    Console.WriteLine($"retrieval via {engine}: p50 {Percentile(latencies, 50):F3} ms, p99 {Percentile(latencies, 99):F3} ms ({latencies.Count} calls)");

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
