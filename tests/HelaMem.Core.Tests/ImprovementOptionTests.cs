using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;

namespace HelaMem.Core.Tests;

public class ImprovementOptionTests
{
    private static readonly DateTimeOffset T0 = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("painted", "paint")]
    [InlineData("painting", "paint")]
    [InlineData("paints", "paint")]
    [InlineData("running", "run")]
    [InlineData("planned", "plan")]
    [InlineData("baked", "bak")]
    [InlineData("bake", "bak")]
    [InlineData("stories", "story")]
    [InlineData("classes", "class")]
    [InlineData("class", "class")]
    [InlineData("falling", "fall")]
    [InlineData("bus", "bus")]
    [InlineData("red", "red")]
    [InlineData("2023", "2023")]
    public void Light_stemmer_maps_inflections_to_one_key(string word, string stem)
    {
        Assert.Equal(stem, LightStemmer.Stem(word));
    }

    [Fact]
    public void Stemmed_keywords_are_distinct_stems()
    {
        Assert.Equal(["paint", "sunris"], KeywordExtractor.Extract("Painted? Painting a sunrise, paints!", stem: true));
    }

    [Fact]
    public void Entities_are_capitalised_words_inside_sentences_without_excluded_names()
    {
        var entities = EntityExtractor.Extract("Caroline: We went to Monterey with Rex and Melanie. Then Rex ran to Monterey!", new HashSet<string> { "melanie" });

        Assert.Equal(["monterey", "rex"], entities);
    }

    [Fact]
    public void Idf_weighting_counts_rare_keywords_more()
    {
        var index = new BaseIndex(2);
        index.Add([0f, 0f], T0, ["rare", "common"]);
        index.Add([0f, 0f], T0, ["common"]);
        index.Add([0f, 0f], T0, ["common"]);
        var scores = new float[3];

        index.ComputeBaseScores([1f, 0f], ["rare", "common"], T0, HelaMemOptions.Default with { KeywordWeighting = KeywordWeighting.Idf }, scores);

        var rare = Math.Log(1 + (2.5 / 1.5));
        var common = Math.Log(1 + (0.5 / 3.5));
        Assert.Equal(0.5 + 0.7, scores[0], 5);
        Assert.Equal(0.5 + (0.7 * common / (rare + common)), scores[1], 5);
        Assert.Equal(scores[1], scores[2]);
    }

    [Fact]
    public void Inherited_keywords_index_a_reply_under_the_turn_it_answers()
    {
        var graph = new MemoryGraph(new BagOfWordsEmbedder(), HelaMemOptions.Default with { InheritPreviousKeywords = true });
        graph.Add(new NewMemory("Alice: What are you painting these days?", "Alice", T0));
        graph.Add(new NewMemory("Bob: A sunrise over the lake.", "Bob", T0));
        graph.Add(new NewMemory("Carol: Unrelated thread.", "Carol", T0, "other"));

        Assert.Equal([0, 1], graph.Index.Postings("painting"));
        Assert.DoesNotContain("painting", graph.GetNode(1).Keywords);
        Assert.Equal([1], graph.Index.Postings("sunrise"));
        Assert.Equal([2], graph.Index.Postings("unrelated"));
    }

    [Fact]
    public void Entity_edges_link_successive_mentions_but_not_speaker_names()
    {
        var graph = new MemoryGraph(new BagOfWordsEmbedder(), HelaMemOptions.Default with { EntityEdgeWeight = 0.3f, TemporalEdgeWeight = 0f });
        graph.Add(new NewMemory("Alice: My dog Rex loves Bob.", "Alice", T0));
        graph.Add(new NewMemory("Bob: Thanks Alice, that is sweet.", "Bob", T0));
        graph.Add(new NewMemory("Alice: Anyway, how is work?", "Alice", T0));
        graph.Add(new NewMemory("Bob: Busy. Say hi to Rex from me.", "Bob", T0));

        Assert.Equal(0.3f, graph.EdgeWeight(0, 3), 6);
        Assert.Equal(0.3f, graph.EdgeWeight(3, 0), 6);
        Assert.Equal(0f, graph.EdgeWeight(0, 1));
        Assert.Equal(0f, graph.EdgeWeight(1, 2));
    }

    [Fact]
    public void Gated_reinforcement_strengthens_only_the_best_base_items()
    {
        var graph = new MemoryGraph(new BagOfWordsEmbedder(), HelaMemOptions.Default with { ReinforcementTopN = 2, TopK = 4, MaxFlipped = 0, TemporalEdgeWeight = 0f });
        foreach (var text in new[] { "red apples grow", "green apples fall", "blue sky above", "yellow sun shines", "grey rain falls" })
        {
            graph.Add(new NewMemory(text, "x", T0));
        }

        var result = graph.Retrieve("apples", T0);
        var items = result.Memories.Select(m => m.Node.Index).ToArray();

        Assert.Equal(4, items.Length);
        Assert.Equal(0.02f, graph.EdgeWeight(items[0], items[1]), 6);
        Assert.Equal(0f, graph.EdgeWeight(items[0], items[2]));
        Assert.Equal(0f, graph.EdgeWeight(items[2], items[3]));
    }
}
