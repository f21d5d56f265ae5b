using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Tests;

public class MemoryGraphTests
{
    private static readonly DateTimeOffset T0 = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    private static readonly string[] Turns =
    [
        "Alice: I love hiking in the mountains near Denver.",
        "Bob: That sounds great, which trail did you take?",
        "Alice: The Mount Evans trail, it was steep but beautiful.",
        "Bob: My dog Rex would love that trail.",
        "Alice: Bring Rex next time, dogs are allowed there.",
        "Bob: I started a pottery class last week.",
        "Alice: Pottery is relaxing, what did you make?",
        "Bob: A blue bowl for my mother.",
        "Alice: My favorite color is green, by the way.",
        "Bob: I will make you a green mug then.",
    ];

    private static readonly string[] Questions =
    [
        "Which trail did Alice hike?",
        "What is the name of Bob's dog?",
        "What did Bob make in pottery class?",
        "What is Alice's favorite color?",
        "Where does Alice like hiking?",
    ];

    [Fact]
    public void Consecutive_memories_of_a_thread_are_linked_by_temporal_edges()
    {
        var graph = Build(HelaMemOptions.Default);
        graph.Add(new NewMemory("Carol: a turn in another thread", "Carol", T0, "other"));

        Assert.Equal(0.5f, graph.EdgeWeight(0, 1), 6);
        Assert.Equal(0.5f, graph.EdgeWeight(1, 0), 6);
        Assert.Equal(0f, graph.EdgeWeight(0, 2));
        Assert.Equal(0f, graph.EdgeWeight(9, 10));
    }

    [Fact]
    public void Retrieval_is_deterministic_for_the_same_input_and_order()
    {
        var options = HelaMemOptions.Default with { TopK = 3, MaxFlipped = 2 };
        var first = RunQuestions(Build(options));
        var second = RunQuestions(Build(options));

        Assert.Equal(first, second);
        Assert.All(first, r => Assert.InRange(r.Length, 3, 5));
    }

    [Fact]
    public void Retrieval_learns_co_retrieval_edges_and_reports_them_in_the_context()
    {
        var graph = Build(HelaMemOptions.Default with { TopK = 3, MaxFlipped = 1 });

        var result = graph.Retrieve(Questions[2], T0.AddDays(1));

        Assert.Equal(1, graph.Step);
        Assert.Contains(result.Memories, m => m.Node.Content.Contains("pottery class", StringComparison.Ordinal));
        var a = result.Memories[0].Node.Index;
        var b = result.Memories[1].Node.Index;
        Assert.True(graph.EdgeWeight(a, b) >= 0.02f);
        Assert.All(result.Memories, m => Assert.Equal(1, m.Node.AccessCount));
        Assert.Contains("[2023-05-08]", result.Context.Text, StringComparison.Ordinal);
        Assert.True(result.Context.Tokens > 10);
    }

    [Fact]
    public void Without_learning_repeated_retrievals_leave_the_edges_alone()
    {
        var graph = Build(HelaMemOptions.Default with { LearningRate = 0f, TopK = 3 });
        graph.Retrieve(Questions[0], T0);
        graph.Retrieve(Questions[0], T0);

        for (var i = 0; i < graph.Count; i++)
        {
            Assert.True(graph.GetEdges(i).LearnedDegree(graph.Step, graph.Hebbian) == 0f);
        }
    }

    [Fact]
    public void Consolidation_distills_hubs_into_profile_and_facts()
    {
        var graph = Build(HelaMemOptions.Default with { HebbianRule = HebbianRule.Additive, LearningRate = 0.2f, HubThreshold = 1.5f, TopK = 4 });
        for (var i = 0; i < 5; i++)
        {
            graph.Retrieve("Alice favorite color green hiking", T0);
        }

        var report = graph.Consolidate();

        Assert.True(report.HubsFound > 0);
        Assert.Equal(report.HubsFound, report.HubsDistilled);
        Assert.Contains(graph.Semantic.Items, item => item.Kind == SemanticKind.Profile && item.Text.Contains("favorite color is green", StringComparison.Ordinal));
        Assert.Contains(graph.Semantic.Items, item => item.Kind == SemanticKind.Fact);

        // A second run distills nothing new, and retrieval now carries the profile.
        Assert.Equal(0, graph.Consolidate().ItemsAdded);
        var result = graph.Retrieve("What color does Alice like?", T0);
        Assert.NotEmpty(result.Profile);
        Assert.Contains("## Profile", result.Context.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Forgetting_archives_old_unused_weakly_connected_nodes_only()
    {
        var graph = Build(HelaMemOptions.Default with { TopK = 2, MaxFlipped = 0 });
        var retrieved = graph.Retrieve(Questions[1], T0).Memories.Select(m => m.Node.Index).ToHashSet();

        Assert.Equal(0, graph.Forget(T0.AddDays(29)));
        var forgotten = graph.Forget(T0.AddDays(31));

        Assert.Equal(graph.Count - retrieved.Count, forgotten);
        foreach (var index in retrieved)
        {
            Assert.False(graph.Index.IsArchived(index));
        }

        var after = graph.Retrieve(Questions[0], T0.AddDays(31));
        Assert.All(after.Memories, m => Assert.Contains(m.Node.Index, retrieved));
    }

    [Fact]
    public void Explicit_reinforcement_learns_only_the_reported_items()
    {
        var graph = Build(HelaMemOptions.Default with { ReinforceOnRetrieve = false, TopK = 3 });
        graph.Retrieve(Questions[0], T0);
        Assert.Equal(0f, graph.GetEdges(2).LearnedDegree(graph.Step, graph.Hebbian));

        graph.Reinforce([2, 7]);

        Assert.Equal(0.02f, graph.EdgeWeight(2, 7), 6);
        Assert.Equal(0.02f, graph.EdgeWeight(7, 2), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.Reinforce([99]));
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_clear_error()
    {
        var graph = Build(HelaMemOptions.Default);
        Assert.Throws<ArgumentException>(() => graph.Add(new NewMemory("  ", "Alice", T0)));
        Assert.Throws<ArgumentException>(() => graph.Retrieve("", T0));
        Assert.Equal(Turns.Length, graph.Count);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryGraph(new BagOfWordsEmbedder(), HelaMemOptions.Default with { TopK = 0 }));
        Assert.Equal("TopK", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => (HelaMemOptions.Default with { DecayFactor = 1.5f }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (HelaMemOptions.Default with { KeywordWeight = float.NaN }).Validate());
    }

    private static MemoryGraph Build(HelaMemOptions options)
    {
        var graph = new MemoryGraph(new BagOfWordsEmbedder(), options);
        foreach (var turn in Turns)
        {
            graph.Add(new NewMemory(turn, turn[..turn.IndexOf(':', StringComparison.Ordinal)], T0));
        }

        return graph;
    }

    private static List<int[]> RunQuestions(MemoryGraph graph) =>
        [.. Questions.Concat(Questions).Select(q => graph.Retrieve(q, T0).Memories.Select(m => m.Node.Index).ToArray())];
}
