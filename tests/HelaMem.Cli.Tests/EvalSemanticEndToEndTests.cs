using System.Text.Json;
using HelaMem.Cli.Commands;

namespace HelaMem.Cli.Tests;

/// <summary><c>helamem eval semantic</c> on the fixture: profiles per speaker, facts, and both recall readings.</summary>
public sealed class EvalSemanticEndToEndTests : IDisposable
{
    private readonly FixtureData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Consolidation_gives_speakers_profiles_and_dated_facts_and_recall_is_reported_both_ways()
    {
        var (exitCode, output) = await CliHarness.RunAsync(
            "eval", "semantic", "--data", _data.Directory, "--embedder", "hashing", "--every-turns", "4", "--output", _data.Output);

        Assert.True(exitCode == 0, output);
        Assert.Contains("profile + knowledge first, same words", output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_data.Output, EvalSemanticCommand.SummaryFileName)));
        var root = summary.RootElement;
        Assert.Equal(FixtureData.QuestionsInOne + FixtureData.QuestionsInTwo, root.GetProperty("Questions").GetInt32());
        var one = root.GetProperty("Conversations")[0];
        Assert.Equal(12, one.GetProperty("TurnsDistilled").GetInt32());
        var bob = one.GetProperty("Profiles").EnumerateArray().Single(p => p.GetProperty("Speaker").GetString() == "Bob");
        var bobItems = bob.GetProperty("Items").EnumerateArray().Select(i => i.GetString()).ToList();
        Assert.Contains("Bob loves jellyfish exhibits", bobItems);
        Assert.Contains("Bob is training for a marathon in Chicago", bobItems);
        var facts = one.GetProperty("FactTexts").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(facts, f => f.StartsWith("Alice started learning the saxophone in the week of", StringComparison.Ordinal));
        Assert.All(new[] { "EpisodicRecall", "SemanticRecall", "KnowledgeRecall" }, name =>
            Assert.InRange(root.GetProperty(name).GetProperty("mean_1_4").GetDouble(), 0, 100));
        Assert.True(root.GetProperty("SemanticWords").GetDouble() <= root.GetProperty("EpisodicWords").GetDouble());
        Assert.Contains("**Bob**", await File.ReadAllTextAsync(Path.Combine(_data.Output, EvalSemanticCommand.SampleFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_turn_trigger_out_of_range_is_a_usage_error()
    {
        var (exitCode, output) = await CliHarness.RunAsync("eval", "semantic", "--data", _data.Directory, "--every-turns", "0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--every-turns must be between 1 and 1000 (got 0)", output, StringComparison.Ordinal);
    }
}
