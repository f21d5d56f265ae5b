#:project ../../../src/HelaMem.Embeddings.MiniLm/HelaMem.Embeddings.MiniLm.csproj
#:property PublishAot=false

// Measures the MiniLM embedder outside the test run (docs/embeddings.md):
//   dotnet run -c Release tests/HelaMem.Embeddings.MiniLm.Tests/Tools/MeasureMiniLm.cs -- <locomo conv-*.json> [threads]
// Loads the model (timed), then embeds every turn of the conversation ("Speaker: text") one by one and as one batch
// (EmbedBatch, 32 per call), and 200 question-sized texts one by one, on [threads] intra-op threads (default 1).
using System.Diagnostics;
using System.Text.Json;
using HelaMem.Embeddings.MiniLm;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: MeasureMiniLm.cs <conv-*.json> [threads]");
    return 2;
}

var threads = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
using var document = JsonDocument.Parse(File.ReadAllText(args[0]));
var conversation = document.RootElement.TryGetProperty("conversation", out var inner) ? inner : document.RootElement;
var turns = new List<string>();
for (var session = 1; conversation.TryGetProperty($"session_{session}", out var list); session++)
{
    foreach (var turn in list.EnumerateArray())
    {
        turns.Add($"{turn.GetProperty("speaker").GetString()}: {turn.GetProperty("text").GetString()}");
    }
}

var load = Stopwatch.StartNew();
using var embedder = MiniLmEmbedder.Load(new MiniLmOptions { IntraOpThreads = threads });
load.Stop();
var vector = new float[embedder.Dimensions];
embedder.Embed("warm-up", vector);

var single = Stopwatch.StartNew();
foreach (var text in turns)
{
    embedder.Embed(text, vector);
}

single.Stop();
var batch = new float[turns.Count * embedder.Dimensions];
var batched = Stopwatch.StartNew();
embedder.EmbedBatch(turns, batch);
batched.Stop();

var questions = turns.Take(200).Select(t => t[(t.IndexOf(':', StringComparison.Ordinal) + 2)..]).Select(t => t.Length > 60 ? t[..60] : t).ToList();
var latencies = new List<double>(questions.Count);
foreach (var question in questions)
{
    var one = Stopwatch.StartNew();
    embedder.Embed(question, vector);
    latencies.Add(one.Elapsed.TotalMilliseconds);
}

latencies.Sort();
var tokens = turns.Average(t => embedder.Tokenizer.Encode(t).Length);
Console.WriteLine($"model load: {load.Elapsed.TotalMilliseconds:F0} ms; {turns.Count} turns ({tokens:F1} word pieces on average), {threads} intra-op thread(s)");
Console.WriteLine($"one by one: {turns.Count / single.Elapsed.TotalSeconds:F0} turns/s; batched (32): {turns.Count / batched.Elapsed.TotalSeconds:F0} turns/s");
Console.WriteLine($"query (<= 60 chars) p50 {latencies[latencies.Count / 2]:F2} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F2} ms");
return 0;
