using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelaMem.Cli.Evaluation;

/// <summary>One object of summary.json (exactly the fields the evaluation contract lists).</summary>
public sealed record MethodSummary(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("ablation")] string Ablation,
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("recall")] RecallSummary Recall,
    [property: JsonPropertyName("items_per_query")] double ItemsPerQuery,
    [property: JsonPropertyName("context_tokens_per_query")] double ContextTokensPerQuery,
    [property: JsonPropertyName("latency_ms")] LatencySummary LatencyMs,
    [property: JsonPropertyName("conversations")] IReadOnlyList<string> Conversations)
{
    /// <summary>
    /// The first retrieval of each conversation (its graph just built; on the grains engine the first call after the
    /// graph's activation) apart from the others; printed under the table, not part of summary.json's contract.
    /// </summary>
    [JsonIgnore]
    public LatencySplit? LatencySplit { get; init; }

    /// <summary>The answer evaluation (<c>--answer</c> only; the field is absent otherwise, so the recall contract is unchanged).</summary>
    [JsonPropertyName("answer")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Answering.AnswerSummary? Answer { get; init; }
}

/// <summary>Evidence recall in percent per category (null: no question of that category) and over categories 1–4.</summary>
public sealed record RecallSummary(
    [property: JsonPropertyName("1")] double? MultiHop,
    [property: JsonPropertyName("2")] double? Temporal,
    [property: JsonPropertyName("3")] double? OpenDomain,
    [property: JsonPropertyName("4")] double? SingleHop,
    [property: JsonPropertyName("5")] double? Adversarial,
    [property: JsonPropertyName("mean_1_4")] double? Mean1To4);

/// <summary>Latency of one retrieval call (query embedding included), in milliseconds.</summary>
public sealed record LatencySummary(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99);

/// <summary>Retrieval latency (ms) of the first question of each conversation apart from the rest.</summary>
/// <param name="FirstCount">First retrievals (one per conversation).</param>
/// <param name="FirstMean">Their mean.</param>
/// <param name="FirstMax">The slowest of them.</param>
/// <param name="WarmCount">The other retrievals.</param>
/// <param name="WarmP50">Their median.</param>
/// <param name="WarmP99">Their 99th percentile.</param>
public sealed record LatencySplit(int FirstCount, double FirstMean, double FirstMax, int WarmCount, double WarmP50, double WarmP99);

/// <summary>Source-generated JSON for summary.json.</summary>
[JsonSerializable(typeof(List<MethodSummary>))]
public sealed partial class SummaryJsonContext : JsonSerializerContext
{
    /// <summary>Indented, and without escaping '+' or non-ASCII text (the file is read by people too).</summary>
    public static SummaryJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
