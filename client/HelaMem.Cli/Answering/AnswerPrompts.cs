using System.Text.RegularExpressions;

namespace HelaMem.Cli.Answering;

/// <summary>
/// The two prompts of <c>eval locomo --answer</c>, modelled on LoCoMo's QA prompt (a short phrase in the context's own
/// words, dates counted from the context's dates, LoCoMo's "not mentioned" reply when the context lacks the answer) and
/// on the usual LLM-judge prompt of the peer papers (CORRECT or WRONG against the gold answer). Every question gets the
/// same answer prompt: an agent does not know a question's category, so the unanswerable ones are not singled out.
/// </summary>
public static partial class AnswerPrompts
{
    /// <summary>The system message of the answer prompt.</summary>
    public const string AnswerSystem =
        "You answer questions about a long conversation between two people, using only excerpts of it that a memory "
        + "system retrieved. Each excerpt line starts with the date it was said, in brackets, then the speaker.";

    /// <summary>The system message of the judge prompt.</summary>
    public const string JudgeSystem =
        "You grade answers to questions about a conversation against the correct answer. Reply with one word.";

    /// <summary>The user message asking for the answer to <paramref name="question"/> from <paramref name="context"/>.</summary>
    public static string Answer(string question, string context)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(context);
        return $"""
            Conversation excerpts:
            {context.TrimEnd()}

            Answer the question from these excerpts only, as a short phrase, using the excerpts' own words where you can.
            For a question about when something happened, give the date or period, worked out from the dates in brackets
            (e.g. "the week before 9 June 2023").
            If the excerpts do not hold the answer, reply exactly: {AnswerScoring.NotMentioned}

            Question: {question}
            Short answer:
            """;
    }

    /// <summary>The user message asking whether <paramref name="prediction"/> answers <paramref name="question"/> as <paramref name="gold"/> does.</summary>
    public static string Judge(string question, string gold, string prediction)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(prediction);
        return $"""
            Question: {question}
            Correct answer: {gold}
            Answer to grade: {prediction}

            The answer is CORRECT when it says what the correct answer says: it may be worded differently, be shorter or
            longer, or name the same date or period in another form. It is WRONG when it says something else, misses the
            point, or says the information is missing while the correct answer gives it.
            Reply with one word: CORRECT or WRONG.
            """;
    }

    /// <summary>The judge's verdict: true (CORRECT), false (WRONG or INCORRECT), or null when the reply says neither.</summary>
    public static bool? Verdict(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var match = VerdictWord().Match(reply);
        return match.Success ? match.Value.Equals("CORRECT", StringComparison.OrdinalIgnoreCase) : null;
    }

    [GeneratedRegex(@"\b(CORRECT|INCORRECT|WRONG)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VerdictWord();
}
