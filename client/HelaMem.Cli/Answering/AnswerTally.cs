namespace HelaMem.Cli.Answering;

/// <summary>
/// Sums one method run's answer scores per category (LoCoMo F1 and, with a judge, its verdicts) and its tokens;
/// category figures are means over their questions, mean 1–4 and mean 1–5 means over all questions of those categories.
/// </summary>
public sealed class AnswerTally
{
    private readonly double[] _f1 = new double[6];
    private readonly int[] _judged = new int[6];
    private readonly int[] _correct = new int[6];
    private readonly int[] _count = new int[6];
    private long _contextWords;
    private long _prompt;
    private long _completion;
    private long _judgePrompt;
    private long _judgeCompletion;

    /// <summary>Questions added.</summary>
    public int Questions { get; private set; }

    /// <summary>Judge replies that were neither CORRECT nor WRONG.</summary>
    public int JudgeUnclear { get; private set; }

    /// <summary>Answers the content filter refused or cut.</summary>
    public int Filtered { get; private set; }

    /// <summary>Adds one question's answer and, when judged, the judge's reply.</summary>
    public void Add(int category, double f1, int contextWords, ModelReply answer, ModelReply? judge, bool? verdict)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (category is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(category), category, "LoCoMo categories are 1–5.");
        }

        Questions++;
        _count[category]++;
        _f1[category] += f1;
        _contextWords += contextWords;
        _prompt += answer.PromptTokens;
        _completion += answer.CompletionTokens;
        Filtered += answer.Filtered ? 1 : 0;
        if (judge is not null)
        {
            _judged[category]++;
            _correct[category] += verdict == true ? 1 : 0;
            JudgeUnclear += verdict is null ? 1 : 0;
            _judgePrompt += judge.PromptTokens;
            _judgeCompletion += judge.CompletionTokens;
        }
    }

    /// <summary>The run's summary.</summary>
    public AnswerSummary Summary(string model, AnswerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var totals = new AnswerTokens(_contextWords, _prompt, _completion, _judgePrompt, _judgeCompletion);
        var divisor = Math.Max(1, Questions);
        var perQuestion = new AnswerTokens(
            Round(totals.ContextWords / divisor, 1),
            Round(totals.Prompt / divisor, 1),
            Round(totals.Completion / divisor, 1),
            Round(totals.JudgePrompt / divisor, 1),
            Round(totals.JudgeCompletion / divisor, 1));
        var judged = _judged.Sum() > 0;
        AnswerCost? cost = null;
        if (settings.Priced)
        {
            var total = settings.CostOf(_prompt + _judgePrompt, _completion + _judgeCompletion);
            cost = new AnswerCost(Round(total, 6), Round(total / divisor, 6), settings.PriceIn, settings.PriceOut);
        }

        return new AnswerSummary(
            model,
            Questions,
            Scores(_f1, _count),
            judged ? Scores([.. _correct.Select(c => (double)c)], _judged) : null,
            JudgeUnclear,
            Filtered,
            totals,
            perQuestion,
            cost);
    }

    private static CategoryScores Scores(double[] sums, int[] counts)
    {
        double? Percent(IEnumerable<int> categories)
        {
            var count = categories.Sum(c => counts[c]);
            return count == 0 ? null : Round(100 * categories.Sum(c => sums[c]) / count, 2);
        }

        return new CategoryScores(Percent([1]), Percent([2]), Percent([3]), Percent([4]), Percent([5]), Percent([1, 2, 3, 4]), Percent([1, 2, 3, 4, 5]));
    }

    private static double Round(double value, int digits) => Math.Round(value, digits);
}
