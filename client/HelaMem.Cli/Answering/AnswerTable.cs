using System.Globalization;
using HelaMem.Cli.Evaluation;
using Spectre.Console;

namespace HelaMem.Cli.Answering;

/// <summary>Prints the answer evaluation: LoCoMo F1 (and judge accuracy) per category, then tokens and cost per run.</summary>
public static class AnswerTable
{
    /// <summary>Writes the table for the runs that answered; nothing when none did.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<MethodSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summaries);
        var answered = summaries.Where(s => s.Answer is not null).ToList();
        if (answered.Count == 0)
        {
            return;
        }

        var table = new Table().Title("LoCoMo answers (%): F1 and, with --judge, judge accuracy");
        foreach (var column in new[] { "method", "ablation", "score", "questions", "1 multi-hop", "2 temporal", "3 open-dom.", "4 single-hop", "5 adversarial", "mean 1–4", "mean 1–5" })
        {
            table.AddColumn(new TableColumn(column) { Alignment = column is "method" or "ablation" or "score" ? Justify.Left : Justify.Right });
        }

        foreach (var s in answered)
        {
            var answer = s.Answer!;
            AddRow(table, s, "F1", answer.Questions, answer.F1);
            if (answer.Judge is { } judge)
            {
                AddRow(table, s, "judge", answer.Questions, judge);
            }
        }

        console.Write(table);
        foreach (var s in answered)
        {
            var a = s.Answer!;
            var perQuestion = a.PerQuestion;
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"tokens {s.Method} ({s.Ablation}), model {a.Model}: per question context {perQuestion.ContextWords:0.0} words, prompt {perQuestion.Prompt:0.0}, completion {perQuestion.Completion:0.0}");
            if (a.Judge is not null)
            {
                line += string.Create(CultureInfo.InvariantCulture, $", judge prompt {perQuestion.JudgePrompt:0.0}, judge completion {perQuestion.JudgeCompletion:0.0}");
            }

            line += string.Create(
                CultureInfo.InvariantCulture,
                $"; totals prompt {a.Totals.Prompt + a.Totals.JudgePrompt:0}, completion {a.Totals.Completion + a.Totals.JudgeCompletion:0}");
            if (a.Cost is { } cost)
            {
                line += string.Create(CultureInfo.InvariantCulture, $"; cost {cost.Total:0.######} total, {cost.PerQuestion:0.########} per question");
            }

            console.MarkupLine(Markup.Escape(line));
            if (a.Filtered > 0 || a.JudgeUnclear > 0)
            {
                console.MarkupLine(Markup.Escape(string.Create(
                    CultureInfo.InvariantCulture,
                    $"warning: {a.Filtered} answer(s) refused or cut by the provider's content filter (scored 0); {a.JudgeUnclear} judge reply(ies) neither CORRECT nor WRONG (counted wrong)")));
            }
        }
    }

    private static void AddRow(Table table, MethodSummary s, string score, int questions, CategoryScores scores) =>
        table.AddRow(
            Markup.Escape(s.Method),
            Markup.Escape(s.Ablation),
            score,
            questions.ToString(CultureInfo.InvariantCulture),
            Format(scores.MultiHop),
            Format(scores.Temporal),
            Format(scores.OpenDomain),
            Format(scores.SingleHop),
            Format(scores.Adversarial),
            $"[bold]{Format(scores.Mean1To4)}[/]",
            Format(scores.Mean1To5));

    private static string Format(double? value) => value is null ? "–" : value.Value.ToString("0.0", CultureInfo.InvariantCulture);
}
