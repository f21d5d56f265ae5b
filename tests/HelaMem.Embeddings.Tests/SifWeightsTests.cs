namespace HelaMem.Embeddings.Tests;

public sealed class SifWeightsTests
{
    [Fact]
    public void Reference_configuration_weights_match_hand_computation()
    {
        // V = 200,000, a = 1e-3: H = ln(200000) + 0.5772 = 12.2060726 + 0.5772 = 12.7832726.
        // rank 1: a·H / (a·H + 1) = 0.0127833 / 1.0127833 = 0.0126219
        // rank 1000: 12.7832726 / 13.7832726 = 0.9274483
        Assert.Equal(0.0126219, SifWeights.Weight(1, 200_000, 1e-3), 6);
        Assert.Equal(0.9274483, SifWeights.Weight(1000, 200_000, 1e-3), 6);
    }

    [Fact]
    public void Weights_grow_with_rank_toward_one()
    {
        var previous = 0.0;
        foreach (var rank in new[] { 1, 10, 100, 1_000, 10_000, 200_000 })
        {
            var weight = SifWeights.Weight(rank, 200_000, 1e-3);
            Assert.InRange(weight, previous, 1.0);
            previous = weight;
        }
    }

    [Fact]
    public void Ranks_and_sizes_below_one_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SifWeights.Weight(0, 10, 1e-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SifWeights.Weight(1, 0, 1e-3));
    }
}
