using System.Text.Json;
using HelaMem.Cli.Locomo;
using HelaMem.Llm;

namespace HelaMem.Cli.Answering;

/// <summary>
/// The answer step of one method run: for each question, after its retrieval, the model's answer from the retrieved
/// context, its LoCoMo score, the judge's verdict (with <c>--judge</c>), the tally, and a line in the answers file.
/// </summary>
public sealed class AnswerSession(QuestionAnswerer answerer, AnswerSettings settings, string method, string ablation, TextWriter? answersOut)
{
    private readonly AnswerTally _tally = new();

    /// <summary>Answers and scores one question; returns its record.</summary>
    public AnswerRecord Add(string conversation, int index, LocomoQuestion question, string context, int contextWords, double? recall, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(context);

        // Category 5's right answer is that the conversation does not say; the judge compares against LoCoMo's wording.
        var gold = question.Category == 5
            ? AnswerScoring.NotMentioned
            : question.Answer ?? throw new LocomoFormatException($"conversation {conversation}: question \"{question.Text}\" (category {question.Category}) has no \"answer\" to score against");
        ModelReply answer;
        ModelReply? judge = null;
        try
        {
            answer = answerer.Answer(question.Text, context, cancellationToken);
            if (settings.Judge)
            {
                judge = answerer.Judge(question.Text, gold, answer.Text, cancellationToken);
            }
        }
        catch (LlmException e)
        {
            // The provider's message names the provider, operation and model (never the key); say which question.
            throw new AnswerFailedException($"answering question {index + 1} of conversation {conversation} ({method}): {e.Message}", e);
        }

        var f1 = AnswerScoring.Score(question.Category, answer.Text, gold);
        bool? verdict = judge is null ? null : judge.Filtered ? false : AnswerPrompts.Verdict(judge.Text);

        _tally.Add(question.Category, f1, contextWords, answer, judge, verdict);
        var record = new AnswerRecord(
            method,
            ablation,
            conversation,
            index,
            question.Category,
            question.Text,
            gold,
            answer.Text,
            Math.Round(f1, 4),
            verdict,
            recall is null ? null : Math.Round(recall.Value, 4),
            contextWords,
            answer.PromptTokens,
            answer.CompletionTokens,
            judge?.PromptTokens ?? 0,
            judge?.CompletionTokens ?? 0,
            settings.Priced ? Math.Round(settings.CostOf(answer.PromptTokens + (judge?.PromptTokens ?? 0), answer.CompletionTokens + (judge?.CompletionTokens ?? 0)), 8) : null,
            answer.Filtered);
        answersOut?.WriteLine(JsonSerializer.Serialize(record, AnswerRecordJsonContext.Lines.AnswerRecord));
        return record;
    }

    /// <summary>The run's answer summary.</summary>
    public AnswerSummary Summary() => _tally.Summary(settings.Llm.ChatModel!, settings);
}
