using HelaMem.Core;

namespace HelaMem.Core.Tests;

/// <summary>The shared definition of the retrieval profiles and evaluation variants.</summary>
public sealed class RetrievalProfilesTests
{
    [Fact]
    public void Paper_is_the_default_options_and_helamem_the_recommended_set()
    {
        Assert.Same(HelaMemOptions.Default, RetrievalProfiles.Paper);
        var expected = HelaMemOptions.Default with
        {
            StemKeywords = true,
            InheritPreviousKeywords = true,
            KeywordWeighting = KeywordWeighting.Idf,
            SpreadingWeight = 0.5f,
            ReinforcementTopN = 3,
            HebbianRule = HebbianRule.DecayingAverage,
        };
        Assert.Equal(expected, RetrievalProfiles.HelaMem);
        Assert.Equal(expected, RetrievalProfiles.Apply(HelaMemOptions.Default, "helamem"));
        Assert.Same(HelaMemOptions.Default, RetrievalProfiles.Apply(HelaMemOptions.Default, "paper"));
    }

    [Fact]
    public void Helamem_2_is_helamem_with_the_speaker_cue_and_pair_gated_learning()
    {
        var expected = RetrievalProfiles.HelaMem with { SpeakerWeight = 0.15f, ReinforcementTopN = 2 };
        Assert.Equal(expected, RetrievalProfiles.Apply(HelaMemOptions.Default, RetrievalProfiles.HelaMem2Name));
        Assert.Equal(expected, RetrievalProfiles.ApplyVariants(HelaMemOptions.Default, ["helamem-2"]));
        Assert.Equal(0f, RetrievalProfiles.HelaMem.SpeakerWeight);
        Assert.Equal(["paper", "helamem", "helamem-2", "helamem-3"], RetrievalProfiles.Names);
    }

    [Fact]
    public void Helamem_3_is_helamem_2_with_the_relative_cut_between_0_8k_and_2k()
    {
        var expected = RetrievalProfiles.Apply(HelaMemOptions.Default, RetrievalProfiles.HelaMem2Name) with { RelativeCutoff = 0.8f, MinTopK = 12, TopK = 30 };
        Assert.Equal(expected, RetrievalProfiles.Apply(HelaMemOptions.Default, RetrievalProfiles.HelaMem3Name));

        // A tenant's k goes in first: the cut scales with it.
        var tenantK = RetrievalProfiles.Apply(HelaMemOptions.Default with { TopK = 10 }, RetrievalProfiles.HelaMem3Name);
        Assert.Equal((20, 8), (tenantK.TopK, tenantK.MinTopK));
        tenantK.Validate();
    }

    [Fact]
    public void A_profile_applies_on_top_of_the_configured_options()
    {
        var configured = HelaMemOptions.Default with { TopK = 7, EntityEdgeWeight = 0.5f };
        var helamem = RetrievalProfiles.Apply(configured, RetrievalProfiles.HelaMemName);
        Assert.Equal(7, helamem.TopK);
        Assert.Equal(0.5f, helamem.EntityEdgeWeight);
        Assert.True(helamem.StemKeywords);
        Assert.Same(configured, RetrievalProfiles.Apply(configured, RetrievalProfiles.PaperName));
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("HelaMem")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_profile_is_refused_naming_the_allowed_values(string? name)
    {
        Assert.False(RetrievalProfiles.IsKnown(name));
        var error = Assert.Throws<ArgumentException>(() => RetrievalProfiles.Validate(name, "profile"));
        Assert.Contains("allowed: paper, helamem, helamem-2, helamem-3", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RetrievalProfiles.Apply(HelaMemOptions.Default, name!));
    }

    [Fact]
    public void Variants_apply_in_order_and_an_unknown_one_is_refused()
    {
        var options = RetrievalProfiles.ApplyVariants(HelaMemOptions.Default, ["entity-edges", "strong-spreading"]);
        Assert.Equal(0.5f, options.EntityEdgeWeight);
        Assert.Equal(0.5f, options.SpreadingWeight);
        var error = Assert.Throws<ArgumentException>(() => RetrievalProfiles.ApplyVariants(HelaMemOptions.Default, ["warp"]));
        Assert.Contains("unknown variant 'warp'", error.Message, StringComparison.Ordinal);
        Assert.All(RetrievalProfiles.RecommendedSet, name => Assert.Contains(RetrievalProfiles.Variants, v => v.Name == name));
    }
}
