using System.Text.Json;

namespace HelaMem.Cli.Tests;

public sealed class EvalLocomoEndToEndTests : IDisposable
{
    private static readonly string[] SummaryFields =
        ["method", "ablation", "engine", "questions", "recall", "items_per_query", "context_tokens_per_query", "latency_ms", "conversations"];

    private readonly FixtureData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task All_methods_write_a_summary_with_exactly_the_contract_fields()
    {
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--method", "all", "--embedder", "hashing",
            "--top-k", "3", "--max-flipped", "1", "--output", _data.Output);

        Assert.True(exitCode == 0, output);
        Assert.Contains("hashing-100d", output, StringComparison.Ordinal);
        Assert.Contains("mean 1–4", output, StringComparison.Ordinal);

        // The harness's console is not interactive (like piped output): each method's progress ends in a plain line.
        var questions = FixtureData.QuestionsInOne + FixtureData.QuestionsInTwo;
        foreach (var label in new[] { "hela (none)", "bm25", "dense", "hybrid" })
        {
            Assert.Contains($"{label}: {questions}/{questions} questions", output, StringComparison.Ordinal);
        }

        using var summary = ReadSummary();
        var runs = summary.RootElement.EnumerateArray().ToList();
        Assert.Equal(["hela", "bm25", "dense", "hybrid"], runs.Select(r => r.GetProperty("method").GetString()));
        foreach (var run in runs)
        {
            Assert.Equal(SummaryFields, run.EnumerateObject().Select(p => p.Name));
            Assert.Equal("none", run.GetProperty("ablation").GetString());
            Assert.Equal("core", run.GetProperty("engine").GetString());
            Assert.Equal(FixtureData.QuestionsInOne + FixtureData.QuestionsInTwo, run.GetProperty("questions").GetInt32());
            Assert.Equal(["1", "2"], run.GetProperty("conversations").EnumerateArray().Select(c => c.GetString()));
            var recall = run.GetProperty("recall");
            Assert.Equal(["1", "2", "3", "4", "5", "mean_1_4"], recall.EnumerateObject().Select(p => p.Name));
            Assert.All(recall.EnumerateObject(), p => Assert.InRange(p.Value.GetDouble(), 0, 100));
            var latency = run.GetProperty("latency_ms");
            Assert.Equal(["p50", "p99"], latency.EnumerateObject().Select(p => p.Name));
            Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
            Assert.True(run.GetProperty("context_tokens_per_query").GetDouble() > 0);
        }

        // Baselines retrieve k + m items; HeLa-Mem k plus at most m flipped ones.
        Assert.Equal(4, runs[1].GetProperty("items_per_query").GetDouble());
        Assert.InRange(runs[0].GetProperty("items_per_query").GetDouble(), 3, 4);
    }

    [Fact]
    public async Task Bm25_recall_matches_the_hand_computed_values()
    {
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--conversations", "1", "--method", "bm25", "--embedder", "hashing",
            "--top-k", "3", "--max-flipped", "1", "--output", _data.Output);
        Assert.True(exitCode == 0, output);

        using var summary = ReadSummary();
        var bm25 = summary.RootElement[0];
        var recall = bm25.GetProperty("recall");

        // Every question's rare words point at its evidence, so BM25's 4 items hold it; "D8:6; D9:17"-style packed
        // ids are split; the unknown id D9:9 halves one single-hop question; the question without evidence is not counted.
        Assert.Equal(100, recall.GetProperty("1").GetDouble());
        Assert.Equal(100, recall.GetProperty("2").GetDouble());
        Assert.Equal(100, recall.GetProperty("3").GetDouble());
        Assert.Equal(83.33, recall.GetProperty("4").GetDouble());
        Assert.Equal(100, recall.GetProperty("5").GetDouble());
        Assert.Equal(91.67, recall.GetProperty("mean_1_4").GetDouble());
        Assert.Equal(FixtureData.QuestionsInOne, bm25.GetProperty("questions").GetInt32());
        Assert.Equal(["1"], bm25.GetProperty("conversations").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Ablations_are_labelled_and_no_spreading_returns_exactly_k_items()
    {
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--embedder", "hashing", "--ablation", "no-spreading",
            "--top-k", "3", "--max-flipped", "2", "--output", _data.Output);
        Assert.True(exitCode == 0, output);

        using var summary = ReadSummary();
        var hela = summary.RootElement[0];
        Assert.Equal("hela", hela.GetProperty("method").GetString());
        Assert.Equal("no-spreading", hela.GetProperty("ablation").GetString());
        Assert.Equal(3, hela.GetProperty("items_per_query").GetDouble());
    }

    [Fact]
    public async Task Runs_are_deterministic_apart_from_latency()
    {
        string[] args = ["eval", "locomo", "--data", _data.Directory, "--embedder", "hashing", "--top-k", "2", "--variant", "decaying-hebbian", "--output", _data.Output];
        Assert.Equal(0, (await CliHarness.RunAsync(args)).ExitCode);
        var first = WithoutLatency();
        Assert.Equal(0, (await CliHarness.RunAsync(args)).ExitCode);
        var second = WithoutLatency();

        Assert.Equal(first, second);
        Assert.Contains("\"ablation\":\"none+decaying-hebbian\"", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_embedder_without_a_glove_cache_warns_loudly()
    {
        var emptyCache = Path.Combine(_data.Directory, "no-cache");
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "locomo", "--data", _data.Directory, "--conversations", "2", "--cache", emptyCache, "--output", _data.Output);

        Assert.Equal(0, exitCode);
        Assert.Contains("WARNING", output, StringComparison.Ordinal);
        Assert.Contains("hashing", output, StringComparison.Ordinal);
    }

    private JsonDocument ReadSummary() => JsonDocument.Parse(File.ReadAllText(Path.Combine(_data.Output, "summary.json")));

    private string WithoutLatency()
    {
        using var summary = ReadSummary();
        var runs = summary.RootElement.EnumerateArray()
            .Select(run => string.Join(",", run.EnumerateObject().Where(p => p.Name != "latency_ms").Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}")));
        return string.Join("\n", runs);
    }
}
