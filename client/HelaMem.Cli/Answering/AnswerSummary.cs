using System.Text.Json.Serialization;

namespace HelaMem.Cli.Answering;

/// <summary>
/// The answer evaluation of one method run (summary.json's <c>answer</c> object, written only with <c>--answer</c>).
/// </summary>
/// <param name="Model">The chat model or deployment that answered.</param>
/// <param name="Questions">Questions answered.</param>
/// <param name="F1">LoCoMo's answer score per category, in percent.</param>
/// <param name="Judge">The LLM judge's accuracy per category, in percent (null without <c>--judge</c>).</param>
/// <param name="JudgeUnclear">Judge replies that said neither CORRECT nor WRONG (counted as wrong).</param>
/// <param name="Filtered">Questions whose answer the provider's content filter refused or cut (scored 0).</param>
/// <param name="Totals">Tokens of the whole run.</param>
/// <param name="PerQuestion">The same, per question (means).</param>
/// <param name="Cost">Cost from <c>--price-in</c>/<c>--price-out</c> (null when both are 0).</param>
public sealed record AnswerSummary(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("f1")] CategoryScores F1,
    [property: JsonPropertyName("judge")] CategoryScores? Judge,
    [property: JsonPropertyName("judge_unclear")] int JudgeUnclear,
    [property: JsonPropertyName("filtered")] int Filtered,
    [property: JsonPropertyName("tokens")] AnswerTokens Totals,
    [property: JsonPropertyName("tokens_per_question")] AnswerTokens PerQuestion,
    [property: JsonPropertyName("cost")] AnswerCost? Cost);

/// <summary>A score per LoCoMo category in percent (null: no question of that category), over 1–4 and over all.</summary>
public sealed record CategoryScores(
    [property: JsonPropertyName("1")] double? MultiHop,
    [property: JsonPropertyName("2")] double? Temporal,
    [property: JsonPropertyName("3")] double? OpenDomain,
    [property: JsonPropertyName("4")] double? SingleHop,
    [property: JsonPropertyName("5")] double? Adversarial,
    [property: JsonPropertyName("mean_1_4")] double? Mean1To4,
    [property: JsonPropertyName("mean_1_5")] double? Mean1To5);

/// <summary>
/// Context size and model tokens: the context in words (the project's TokenCounter, the unit of the recall table), the
/// answer call's prompt and completion tokens as the provider counted them, and the judge call's.
/// </summary>
public sealed record AnswerTokens(
    [property: JsonPropertyName("context_words")] double ContextWords,
    [property: JsonPropertyName("prompt")] double Prompt,
    [property: JsonPropertyName("completion")] double Completion,
    [property: JsonPropertyName("judge_prompt")] double JudgePrompt,
    [property: JsonPropertyName("judge_completion")] double JudgeCompletion);

/// <summary>Cost in the currency of the prices given, for the whole run and per question (answer and judge calls).</summary>
public sealed record AnswerCost(
    [property: JsonPropertyName("total")] double Total,
    [property: JsonPropertyName("per_question")] double PerQuestion,
    [property: JsonPropertyName("price_in_per_million")] double PriceIn,
    [property: JsonPropertyName("price_out_per_million")] double PriceOut);
