using HelaMem.Llm;
using Microsoft.Extensions.AI;

namespace HelaMem.Cli.Answering;

/// <summary>One model call's text and the tokens the provider counted for it (0 when it did not say).</summary>
/// <param name="Text">The reply, trimmed (empty when the content filter cut it).</param>
/// <param name="PromptTokens">Input tokens.</param>
/// <param name="CompletionTokens">Output tokens.</param>
/// <param name="Filtered">True when the provider's content filter refused the prompt or cut the reply.</param>
public sealed record ModelReply(string Text, long PromptTokens, long CompletionTokens, bool Filtered);

/// <summary>
/// Asks the chat model for the answer to a question from its retrieved context, and (with <c>--judge</c>) whether an
/// answer is right. Deterministic settings (temperature 0) and short replies; a content-filter refusal becomes an empty
/// reply marked <see cref="ModelReply.Filtered"/> (the question scores 0 and is counted), every other failure of the
/// provider is thrown as the <see cref="LlmException"/> the resilient client raised after its retries.
/// </summary>
public sealed class QuestionAnswerer(IChatClient chat)
{
    // Enough for a short phrase or a list of a few items; a judge needs one word.
    private const int AnswerTokens = 100;
    private const int JudgeTokens = 10;

    /// <summary>The model's answer to <paramref name="question"/> from <paramref name="context"/>.</summary>
    public ModelReply Answer(string question, string context, CancellationToken cancellationToken) =>
        Ask(AnswerPrompts.AnswerSystem, AnswerPrompts.Answer(question, context), AnswerTokens, cancellationToken);

    /// <summary>The judge's reply on <paramref name="prediction"/> against <paramref name="gold"/>.</summary>
    public ModelReply Judge(string question, string gold, string prediction, CancellationToken cancellationToken) =>
        Ask(AnswerPrompts.JudgeSystem, AnswerPrompts.Judge(question, gold, prediction), JudgeTokens, cancellationToken);

    private ModelReply Ask(string system, string user, int maxTokens, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = maxTokens };
        try
        {
            // The evaluation runs question by question on one thread (retrieval learns in order), so it waits here.
            var response = chat.GetResponseAsync([new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)], options, cancellationToken)
                .GetAwaiter().GetResult();
            return new ModelReply(response.Text.Trim(), response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, false);
        }
        catch (LlmContentFilteredException)
        {
            return new ModelReply("", 0, 0, true);
        }
    }
}
