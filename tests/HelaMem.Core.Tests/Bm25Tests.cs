using HelaMem.Core.Baselines;
using HelaMem.Core.Retrieval;

namespace HelaMem.Core.Tests;

public class Bm25Tests
{
    [Fact]
    public void Scores_a_tiny_corpus_as_computed_by_hand()
    {
        var bm25 = new Bm25Index();
        bm25.Add(["apple", "banana"]);
        bm25.Add(["apple"]);
        bm25.Add(["cherry"]);
        var scores = new float[3];

        bm25.Score(["apple"], scores);

        // N = 3, n = 2: idf = ln(1 + 1.5/2.5); average length 4/3.
        var idf = Math.Log(1.6);
        Assert.Equal(idf, bm25.Idf("apple"), 10);
        var norm0 = 1.2 * (0.25 + (0.75 * 2 / (4.0 / 3)));
        var norm1 = 1.2 * (0.25 + (0.75 * 1 / (4.0 / 3)));
        Assert.Equal(idf * 2.2 / (1 + norm0), scores[0], 5);
        Assert.Equal(idf * 2.2 / (1 + norm1), scores[1], 5);
        Assert.Equal(0f, scores[2]);
        Assert.True(scores[1] > scores[0], "the shorter document ranks first");
    }

    [Fact]
    public void Repeated_query_terms_count_twice_and_unknown_terms_not_at_all()
    {
        var bm25 = new Bm25Index();
        bm25.Add(["apple"]);
        bm25.Add(["pear"]);
        var once = new float[2];
        var twice = new float[2];

        bm25.Score(["apple", "kiwi"], once);
        bm25.Score(["apple", "apple"], twice);

        Assert.Equal(2 * once[0], twice[0], 5);
    }

    [Fact]
    public void Baselines_rank_on_the_same_nodes()
    {
        var index = new BaseIndex(2);
        var baselines = new BaselineRetriever(index);
        var time = DateTimeOffset.UnixEpoch;
        index.Add([1f, 0f], time, []);
        baselines.AddDocument("Alice: the weather is sunny");
        index.Add([0f, 1f], time, []);
        baselines.AddDocument("Bob: my dog loves the park");
        index.Add([0.8f, 0.6f], time, []);
        baselines.AddDocument("Alice: the dog barked at the rain");
        var top = new int[3];

        baselines.Retrieve(BaselineMethod.Dense, [1f, 0f], "weather", 3, top);
        Assert.Equal([0, 2, 1], top);

        // Both dog turns have the same length and term frequency: the tie goes to the older node; the third scores 0.
        Assert.Equal(3, baselines.Retrieve(BaselineMethod.Bm25, [1f, 0f], "dog", 3, top));
        Assert.Equal([1, 2, 0], top);

        // Hybrid: 0.5·(cos+1)/2 + 0.5·bm25/max. Node 2 (cos 0.8, some bm25) beats node 0 (cos 1, no bm25).
        baselines.Retrieve(BaselineMethod.Hybrid, [1f, 0f], "dog", 3, top);
        Assert.Equal(2, top[0]);
    }
}
