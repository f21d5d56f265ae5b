#:project ../../../src/HelaMem.Grains/HelaMem.Grains.csproj
#:project ../../../src/HelaMem.Testing/HelaMem.Testing.csproj
#:property PublishAot=false
#:property TieredCompilation=false
#:property ServerGarbageCollection=true

// Where the tail of a retrieval through the grains comes from (docs/performance.md, "Memory grains"):
//   dotnet run -c Release tests/HelaMem.Grains.Tests/Tools/MeasureTail.cs -- <locomo dir> <conversation id> <released|helamem> <flush seconds> <memory|sqlite> [passes] [core]
// One LoCoMo conversation is ingested into one user of a one-silo cluster (HelaMem.Testing), its questions are asked
// `passes` times through the silo's own grain factory (as the HTTP API calls grains) after a warm-up pass, and every
// call is timed together with the garbage collections and GC pause time that happened during it. Slow calls (> 2 ms)
// are then split into those that saw a collection and those that did not. Varying the flush interval (write-behind
// of Hebbian weights) and the storage shows what the flushes cost the retrievals that meet them.
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
using Orleans;

var dataDirectory = args[0];
var conversationId = args[1];
var algorithm = args[2] == "helamem" ? RetrievalProfiles.HelaMem : HelaMemOptions.Default;
var flush = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
var storage = args[4];
var passes = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 3;

// "core": each grain call is preceded by the same question through the core engine, as MeasureGrains interleaves
// them, so the core's allocations (and the collections they cause) fall between the grain calls.
var interleaveCore = args.Length > 6 && args[6] == "core";
var (messages, questions) = ReadConversation(Path.Combine(dataDirectory, $"conv-{conversationId}.json"), conversationId);
var now = messages.Max(m => m.Timestamp);
var embedder = OfflineEmbedder.Create(null, NullLogger.Instance);
Console.WriteLine($"conv-{conversationId}: {messages.Count} turns, {questions.Count} questions x {passes}{(interleaveCore ? " (core between grain calls)" : "")}, options {args[2]}, flush {flush.TotalSeconds} s, storage {storage}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}, load {LoadAverage()}");

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
    Console.WriteLine($"grains: p50 {P(latencies, 50):F3} ms, p90 {P(latencies, 90):F3} ms, p99 {P(latencies, 99):F3} ms, max {latencies.Max():F3} ms ({calls.Count} calls)");
    Console.WriteLine($"calls that saw a collection: {callsWithGc.Count} (gen0 {callsWithGc.Sum(c => c.Gen0)}, gen1 {callsWithGc.Sum(c => c.Gen1)}, gen2 {callsWithGc.Sum(c => c.Gen2)}), their median {(callsWithGc.Count > 0 ? P([.. callsWithGc.Select(c => c.Ms)], 50) : 0):F3} ms, GC pause in them {callsWithGc.Sum(c => c.PauseMs):F1} ms in all");
    Console.WriteLine($"calls over 2 ms: {slow.Count}; with a collection {withGc.Count} (pause {withGc.Sum(c => c.PauseMs):F1} ms of {withGc.Sum(c => c.Ms):F1} ms), without {slow.Count - withGc.Count} ({slow.Where(c => c.Gen0 + c.Gen1 + c.Gen2 == 0).Sum(c => c.Ms):F1} ms)");
    Console.WriteLine($"slowest: {string.Join(", ", calls.OrderByDescending(c => c.Ms).Take(8).Select(c => $"{c.Ms:F1} ms{(c.Gen0 + c.Gen1 + c.Gen2 > 0 ? $" (gc {c.Gen0}/{c.Gen1}/{c.Gen2}, pause {c.PauseMs:F1})" : "")}"))}");
}

if (sqliteDirectory is not null)
{
    Directory.Delete(sqliteDirectory, recursive: true);
}

static double P(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

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
