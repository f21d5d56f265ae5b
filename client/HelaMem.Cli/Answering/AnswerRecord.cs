using System.Text.Json.Serialization;

namespace HelaMem.Cli.Answering;

/// <summary>One line of <c>--answers-out</c>: a question, its gold and predicted answers, their score and what it cost.</summary>
public sealed record AnswerRecord(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("ablation")] string Ablation,
    [property: JsonPropertyName("conversation")] string Conversation,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("category")] int Category,
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("gold")] string Gold,
    [property: JsonPropertyName("prediction")] string Prediction,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("judge")] bool? Judge,
    [property: JsonPropertyName("evidence_recall")] double? EvidenceRecall,
    [property: JsonPropertyName("context_words")] int ContextWords,
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("judge_prompt_tokens")] long JudgePromptTokens,
    [property: JsonPropertyName("judge_completion_tokens")] long JudgeCompletionTokens,
    [property: JsonPropertyName("cost")] double? Cost,
    [property: JsonPropertyName("filtered")] bool Filtered);

/// <summary>Source-generated JSON for the answers file: one compact object per line.</summary>
[JsonSerializable(typeof(AnswerRecord))]
public sealed partial class AnswerRecordJsonContext : JsonSerializerContext
{
    /// <summary>Compact, without escaping non-ASCII text (the file is read by people).</summary>
    public static AnswerRecordJsonContext Lines { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
