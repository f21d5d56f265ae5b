using HelaMem.Cli.Answering;

namespace HelaMem.Cli.Tests;

public sealed class AnswerScoringTests
{
    [Theory]
    [InlineData("The Cat, and a Dog!", "cat dog")]
    [InlineData("  An apple-pie\tIN   the oven. ", "applepie in oven")]
    [InlineData("Theatre, anthem; band", "theatre anthem band")]
    [InlineData("Alice's grandmother", "alices grandmother")]
    public void Normalisation_lowers_strips_punctuation_articles_and_and(string text, string normalized) =>
        Assert.Equal(normalized, AnswerScoring.Normalize(text));

    [Theory]
    // Stemming makes inflections equal: adopted/adopt, puppies/puppy.
    [InlineData("adopted puppies", "adopt puppy", 1.0)]
    // running→run; "ran" stays: 2 of 3 tokens shared each way.
    [InlineData("running in the park", "ran in park", 2.0 / 3)]
    // Repeated tokens count once per match: precision 1/3, recall 1.
    [InlineData("dog dog dog", "dog", 0.5)]
    [InlineData("Chicago", "violin", 0.0)]
    [InlineData("", "violin", 0.0)]
    [InlineData("2022", "2022", 1.0)]
    // "and" and commas are dropped before comparing.
    [InlineData("bread and butter", "bread, butter", 1.0)]
    public void F1_is_the_token_f1_of_the_stemmed_normalised_answers(string prediction, string gold, double f1) =>
        Assert.Equal(f1, AnswerScoring.F1(prediction, gold), 10);

    [Fact]
    public void Multi_hop_averages_over_gold_parts_the_best_f1_of_any_predicted_part()
    {
        // Gold parts: "psychology" (best: 1 from "psychology") and "counseling certification" (best: 2/3 from
        // "counseling", precision 1 and recall 1/2): (1 + 2/3) / 2.
        Assert.Equal(5.0 / 6, AnswerScoring.Score(1, "counseling, psychology", "Psychology, counseling certification"), 10);

        // The same answers scored whole (single-hop): 2 of 2 predicted tokens, 2 of 3 gold tokens: F1 0.8.
        Assert.Equal(0.8, AnswerScoring.Score(4, "counseling, psychology", "Psychology, counseling certification"), 10);

        // A gold part no predicted part matches scores 0 in the mean.
        Assert.Equal(0.5, AnswerScoring.Score(1, "violin", "Chicago, violin"), 10);
    }

    [Fact]
    public void Open_domain_scores_against_the_gold_part_before_the_semicolon()
    {
        Assert.Equal(1.0, AnswerScoring.Score(3, "Likely no", "Likely no; she prefers cats"), 10);

        // As a single-hop question the whole gold counts: 2 of 5 gold tokens, precision 1: F1 4/7.
        Assert.Equal(4.0 / 7, AnswerScoring.Score(4, "Likely no", "Likely no; she prefers cats"), 10);
    }

    [Theory]
    [InlineData("Not mentioned in the conversation", 1)]
    [InlineData("That is NOT MENTIONED.", 1)]
    [InlineData("No information available", 1)]
    [InlineData("She performed it downtown", 0)]
    [InlineData("", 0)]
    public void Adversarial_scores_whether_the_answer_says_the_information_is_not_there(string prediction, double score) =>
        Assert.Equal(score, AnswerScoring.Score(5, prediction, "ignored: the gold of category 5 is the abstention"));

    [Fact]
    public void Temporal_scores_the_whole_answer()
    {
        Assert.Equal(1.0, AnswerScoring.Score(2, "27 June, 2023", "27 June 2023"), 10);

        // 3 predicted, 3 gold, 2 shared.
        Assert.Equal(2.0 / 3, AnswerScoring.Score(2, "28 June 2023", "27 June 2023"), 10);
    }

    [Fact]
    public void An_unknown_category_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AnswerScoring.Score(6, "a", "b"));

    [Theory]
    [InlineData("CORRECT", true)]
    [InlineData("correct.", true)]
    [InlineData("WRONG", false)]
    [InlineData("Incorrect", false)]
    [InlineData("The answer is WRONG because ...", false)]
    [InlineData("Partly right", null)]
    [InlineData("", null)]
    public void The_judges_reply_is_read_as_a_verdict_or_as_unclear(string reply, bool? verdict) =>
        Assert.Equal(verdict, AnswerPrompts.Verdict(reply));

    [Fact]
    public void The_answer_prompt_holds_the_context_the_question_and_the_abstention_wording()
    {
        var prompt = AnswerPrompts.Answer("Where did Carol move?", "## Memories\n[2022-03-03] Carol: I moved to Lisbon for a new job.\n");

        Assert.Contains("[2022-03-03] Carol: I moved to Lisbon for a new job.", prompt, StringComparison.Ordinal);
        Assert.Contains("Question: Where did Carol move?", prompt, StringComparison.Ordinal);
        Assert.Contains("reply exactly: " + AnswerScoring.NotMentioned, prompt, StringComparison.Ordinal);

        // The abstention the prompt asks for is what category 5 scores as right.
        Assert.Equal(1, AnswerScoring.Score(5, AnswerScoring.NotMentioned, ""));
    }

    [Fact]
    public void The_tally_averages_per_category_and_over_questions_and_prices_the_tokens()
    {
        var tally = new AnswerTally();
        var settings = new AnswerSettings(new HelaMem.Llm.LlmOptions { ChatModel = "m" }, Judge: true, PriceIn: 2, PriceOut: 10, AnswersOut: null);
        tally.Add(1, 0.5, 100, new ModelReply("a", 1000, 10, false), new ModelReply("CORRECT", 50, 1, false), true);
        tally.Add(4, 1.0, 200, new ModelReply("b", 2000, 20, false), new ModelReply("WRONG", 60, 1, false), false);
        tally.Add(4, 0.0, 300, new ModelReply("", 0, 0, true), new ModelReply("hmm", 70, 1, false), null);
        tally.Add(5, 1.0, 400, new ModelReply("c", 3000, 30, false), new ModelReply("CORRECT", 80, 1, false), true);

        var summary = tally.Summary("m", settings);

        Assert.Equal(4, summary.Questions);
        Assert.Equal(50, summary.F1.MultiHop);
        Assert.Null(summary.F1.Temporal);
        Assert.Equal(50, summary.F1.SingleHop);
        Assert.Equal(100, summary.F1.Adversarial);
        Assert.Equal(50, summary.F1.Mean1To4);
        Assert.Equal(62.5, summary.F1.Mean1To5);
        Assert.Equal(100, summary.Judge!.MultiHop);
        Assert.Equal(0, summary.Judge.SingleHop);
        Assert.Equal(50, summary.Judge.Mean1To5);
        Assert.Equal(1, summary.JudgeUnclear);
        Assert.Equal(1, summary.Filtered);
        Assert.Equal(new AnswerTokens(1000, 6000, 60, 260, 4), summary.Totals);
        Assert.Equal(new AnswerTokens(250, 1500, 15, 65, 1), summary.PerQuestion);

        // (6000 + 260) input tokens at 2 per million, (60 + 4) output tokens at 10 per million.
        Assert.Equal(0.01316, summary.Cost!.Total, 10);
        Assert.Equal(0.00329, summary.Cost.PerQuestion, 10);
    }
}
