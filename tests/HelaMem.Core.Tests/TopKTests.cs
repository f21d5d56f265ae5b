using HelaMem.Core.Retrieval;

namespace HelaMem.Core.Tests;

public class TopKTests
{
    [Fact]
    public void Selects_best_first_with_ties_broken_by_lower_index()
    {
        float[] scores = [0.5f, 0.9f, 0.5f, 0.1f, 0.9f, 0.7f];
        var top = new ScoredIndex[4];

        var count = TopK.Select(scores, 4, top);

        Assert.Equal(4, count);
        Assert.Equal([1, 4, 5, 0], top.Select(t => t.Index));
    }

    [Fact]
    public void Skips_masked_scores_and_returns_fewer_when_there_are_fewer_candidates()
    {
        float[] scores = [float.NegativeInfinity, 0.2f, float.NaN, 0.3f];
        var top = new ScoredIndex[5];

        var count = TopK.Select(scores, 5, top);

        Assert.Equal(2, count);
        Assert.Equal(3, top[0].Index);
        Assert.Equal(1, top[1].Index);
    }

    [Fact]
    public void Matches_a_full_sort_on_random_scores()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 1000).Select(_ => (float)Math.Round(random.NextDouble(), 2)).ToArray();
        var top = new ScoredIndex[25];

        TopK.Select(scores, 25, top);

        var expected = scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(25).Select(p => p.i);
        Assert.Equal(expected, top.Select(t => t.Index));
    }

    [Fact]
    public void Rejects_a_destination_smaller_than_k()
    {
        Assert.Throws<ArgumentException>(() => TopK.Select([1f, 2f], 3, new ScoredIndex[2]));
    }
}
