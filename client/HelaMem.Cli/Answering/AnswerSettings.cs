using HelaMem.Llm;

namespace HelaMem.Cli.Answering;

/// <summary>The validated answer options of <c>eval locomo --answer</c>.</summary>
/// <param name="Llm">The chat provider (valid, enabled; its embedding model is not used).</param>
/// <param name="Judge">Also ask the model to judge each answer (<c>--judge</c>).</param>
/// <param name="PriceIn">Price per million input tokens (0: no cost shown).</param>
/// <param name="PriceOut">Price per million output tokens.</param>
/// <param name="AnswersOut">A JSON-lines file for every question's answer, or null.</param>
public sealed record AnswerSettings(LlmOptions Llm, bool Judge, double PriceIn, double PriceOut, string? AnswersOut)
{
    /// <summary>True when a price was given, so cost is computed and shown.</summary>
    public bool Priced => PriceIn > 0 || PriceOut > 0;

    /// <summary>The cost of <paramref name="input"/> and <paramref name="output"/> tokens.</summary>
    public double CostOf(long input, long output) => ((input * PriceIn) + (output * PriceOut)) / 1_000_000;
}
