using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;

namespace HelaMem.Core.Tests;

/// <summary>The speaker cue: a query that names a speaker lifts what that speaker said (σ, <see cref="HelaMemOptions.SpeakerWeight"/>).</summary>
public sealed class SpeakerCueTests
{
    private static readonly DateTimeOffset T0 = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    private static float[] Scores(BaseIndex index, string query, HelaMemOptions options)
    {
        var scores = new float[index.Count];
        index.ComputeBaseScores([1f, 0f], KeywordExtractor.Extract(query, options.StemKeywords), T0, options with { KeywordWeight = 0f }, scores);
        return scores;
    }

    private static BaseIndex TwoSpeakers()
    {
        // The same vector and keywords, so only the speaker tells them apart.
        var index = new BaseIndex(2);
        index.Add([1f, 0f], T0, ["painting"], "Melanie");
        index.Add([1f, 0f], T0, ["painting"], "Caroline");
        index.Add([1f, 0f], T0, ["painting"]);
        return index;
    }

    [Fact]
    public void A_query_naming_a_speaker_adds_sigma_to_that_speakers_memories_only()
    {
        var scores = Scores(TwoSpeakers(), "What has Melanie painted?", HelaMemOptions.Default with { SpeakerWeight = 0.15f });

        Assert.Equal(1.15f, scores[0], 5);
        Assert.Equal(1f, scores[1], 5);
        Assert.Equal(1f, scores[2], 5);
    }

    [Fact]
    public void Without_a_named_speaker_or_with_sigma_zero_nothing_changes()
    {
        Assert.All(Scores(TwoSpeakers(), "What was painted?", HelaMemOptions.Default with { SpeakerWeight = 0.15f }), s => Assert.Equal(1f, s, 5));
        Assert.All(Scores(TwoSpeakers(), "What has Melanie painted?", HelaMemOptions.Default), s => Assert.Equal(1f, s, 5));
    }

    [Fact]
    public void Both_speakers_named_lifts_both_and_stemming_matches_names_the_same_way_as_queries()
    {
        var options = HelaMemOptions.Default with { SpeakerWeight = 0.2f, StemKeywords = true };
        var scores = Scores(TwoSpeakers(), "What do Melanie and Caroline both paint?", options);

        Assert.Equal(1.2f, scores[0], 5);
        Assert.Equal(1.2f, scores[1], 5);
        Assert.Equal(1f, scores[2], 5);
    }

    [Fact]
    public void A_speaker_of_several_words_counts_as_named_only_when_every_word_is_in_the_query()
    {
        var index = new BaseIndex(2);
        index.Add([1f, 0f], T0, [], "Anna Berg");
        var options = HelaMemOptions.Default with { SpeakerWeight = 0.5f };

        Assert.Equal(1f, Scores(index, "What does Anna like?", options)[0], 5);
        Assert.Equal(1.5f, Scores(index, "What does Anna Berg like?", options)[0], 5);
    }

    [Fact]
    public void Archived_memories_stay_masked_and_a_negative_sigma_is_refused()
    {
        var index = TwoSpeakers();
        index.Archive(0);

        Assert.Equal(float.NegativeInfinity, Scores(index, "Melanie", HelaMemOptions.Default with { SpeakerWeight = 0.15f })[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => (HelaMemOptions.Default with { SpeakerWeight = -0.1f }).Validate());
    }
}
