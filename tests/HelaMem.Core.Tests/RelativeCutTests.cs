using HelaMem.Core.Retrieval;

namespace HelaMem.Core.Tests;

/// <summary>The relative cut of the base pathway and the spreading bound that keeps the flipped items exact after it.</summary>
public sealed class RelativeCutTests
{
    private static ScoredIndex[] Best(params float[] scores) => [.. scores.Select((s, i) => new ScoredIndex(i, s))];

    [Fact]
    public void Keeps_the_items_at_or_above_r_times_the_best_but_never_fewer_than_the_floor()
    {
        var best = Best(1.0f, 0.9f, 0.8f, 0.79f, 0.5f, 0.4f);

        Assert.Equal(3, RelativeCut.Apply(best, 6, 0.8f, floor: 2));
        Assert.Equal(5, RelativeCut.Apply(best, 6, 0.8f, floor: 5));
        Assert.Equal(4, RelativeCut.Apply(best, 4, 0.5f, floor: 0));
        Assert.Equal(6, RelativeCut.Apply(best, 6, 0f, floor: 2));
    }

    [Fact]
    public void A_best_score_that_is_not_positive_or_no_items_cut_nothing()
    {
        Assert.Equal(3, RelativeCut.Apply(Best(0f, -0.1f, -0.2f), 3, 0.8f, floor: 1));
        Assert.Equal(0, RelativeCut.Apply([], 0, 0.8f, floor: 1));
    }

    [Fact]
    public void The_spreading_bound_is_the_base_score_m_places_below_the_cut_or_the_kth_without_one()
    {
        var best = Best(1.0f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f);

        // Cut to 2 with m = 3: flipped items are among the best 5 by S, so S must reach the 5th base score.
        Assert.Equal(0.6f, RelativeCut.SpreadBound(best, kept: 2, count: 6, k: 6, maxFlipped: 3));

        // No cut: the k-th base score, or negative infinity with fewer than k nodes (as before the cut existed).
        Assert.Equal(0.5f, RelativeCut.SpreadBound(best, kept: 6, count: 6, k: 6, maxFlipped: 3));
        Assert.Equal(float.NegativeInfinity, RelativeCut.SpreadBound(best, kept: 6, count: 6, k: 10, maxFlipped: 3));

        // A bound below the last selected item: the k-th (or none with fewer than k).
        Assert.Equal(0.5f, RelativeCut.SpreadBound(best, kept: 5, count: 6, k: 6, maxFlipped: 3));
        Assert.Equal(float.NegativeInfinity, RelativeCut.SpreadBound(best, kept: 5, count: 6, k: 10, maxFlipped: 3));
    }

    [Theory]
    [InlineData(-0.1f, 0)]
    [InlineData(1f, 0)]
    [InlineData(0.8f, -1)]
    [InlineData(0.8f, 16)]
    public void Options_refuse_a_cut_outside_its_range(float cutoff, int floor)
    {
        var options = HelaMemOptions.Default with { RelativeCutoff = cutoff, MinTopK = floor };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }
}
