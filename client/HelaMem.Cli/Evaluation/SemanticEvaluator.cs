using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Cli.Locomo;
using HelaMem.Core;
using HelaMem.Core.Text;
using HelaMem.Testing;

namespace HelaMem.Cli.Evaluation;

/// <summary>
/// Semantic memory on LoCoMo through the memory grains (an in-process test cluster): each conversation is ingested,
/// consolidated once (the turn trigger distills every turn; hubs as they come), then its questions are asked in file
/// order. It reports each speaker's profile, the facts, and evidence recall with and without the semantic items at
/// the same context size (<see cref="SemanticBudget"/>).
/// </summary>
public sealed class SemanticEvaluator(ISentenceEmbedder embedder, HelaMemOptions options, int everyTurns)
{
    /// <summary>Evaluates <paramref name="conversations"/>; <paramref name="questionDone"/> is told after every question.</summary>
    public async Task<SemanticSummary> EvaluateAsync(IReadOnlyList<LocomoConversation> conversations, Action? questionDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        await using var cluster = await new HelaMemTestClusterBuilder()
            .UseOrleansMemoryStorage()
            .WithoutLogFiles()
            .WithEmbedder(embedder)
            .ConfigureGrains(o =>
            {
                o.Algorithm = options;
                o.ConsolidateEveryTurns = everyTurns;

                // Consolidation runs when the evaluation says so (RunNow), not on a reminder.
                o.ScheduleConsolidation = false;
            })
            .DeployAsync();
        var episodic = new RecallTally();
        var withSemantic = new RecallTally();
        var withKnowledge = new RecallTally();
        long knowledgeWords = 0;
        long knowledgeItemsUsed = 0;
        var results = new List<SemanticConversationResult>();
        long episodicWords = 0;
        long semanticWords = 0;
        long semanticItemsUsed = 0;
        var questions = 0;
        foreach (var conversation in conversations)
        {
            var session = cluster.Session("locomo", $"semantic-{conversation.Id}");
            var ids = await session.IngestAsync(conversation.Turns.Select(t => new IngestMessage(t.NodeText, t.Speaker, t.Time, conversation.Id)));
            var diaIdOf = new Dictionary<long, string>();
            for (var i = 0; i < ids.Count; i++)
            {
                diaIdOf[ids[i]] = conversation.Turns[i].DiaId;
            }

            var report = await session.ConsolidateAsync(conversation.End);
            var items = await cluster.GrainFactory.GetGrain<ISemanticMemoryGrain>(session.Key.ToString()).Items();
            foreach (var question in conversation.Questions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var response = await session.RetrieveAsync(question.Text, conversation.End);
                var (alone, mixed) = SemanticBudget.Read(response, id => diaIdOf.GetValueOrDefault(id));
                episodic.Add(question.Category, question.Evidence, alone.DiaIds);
                withSemantic.Add(question.Category, question.Evidence, mixed.DiaIds);
                var (_, knowledge) = SemanticBudget.Read(response, id => diaIdOf.GetValueOrDefault(id), includeProfile: false);
                withKnowledge.Add(question.Category, question.Evidence, knowledge.DiaIds);
                knowledgeWords += knowledge.Words;
                knowledgeItemsUsed += knowledge.SemanticItems;
                episodicWords += alone.Words;
                semanticWords += mixed.Words;
                semanticItemsUsed += mixed.SemanticItems;
                questions++;
                questionDone?.Invoke();
            }

            var speakers = conversation.Turns.Select(t => t.Speaker).Distinct(StringComparer.Ordinal).ToList();
            results.Add(new SemanticConversationResult(
                conversation.Id,
                report.TurnsDistilled,
                [.. speakers.Select(s => new SpeakerProfile(s, [.. items.Where(i => i.Kind == SemanticItemKind.Profile && i.Subject == s).Select(i => i.Text)]))],
                items.Count(i => i.Kind == SemanticItemKind.Fact),
                items.Count(i => i.Kind == SemanticItemKind.AgentKnowledge),
                [.. items.Where(i => i.Kind == SemanticItemKind.Fact).Select(i => i.Text)]));
        }

        var divisor = Math.Max(1, questions);
        return new SemanticSummary(
            everyTurns,
            questions,
            results,
            Recall(episodic),
            Recall(withSemantic),
            Math.Round((double)episodicWords / divisor, 1),
            Math.Round((double)semanticWords / divisor, 1),
            Math.Round((double)semanticItemsUsed / divisor, 2),
            Recall(withKnowledge),
            Math.Round((double)knowledgeWords / divisor, 1),
            Math.Round((double)knowledgeItemsUsed / divisor, 2));
    }

    private static RecallSummary Recall(RecallTally tally) =>
        new(Round(tally.Percent(1)), Round(tally.Percent(2)), Round(tally.Percent(3)), Round(tally.Percent(4)), Round(tally.Percent(5)), Round(tally.PercentMean1To4()));

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 2);
}

/// <summary>One speaker's profile after consolidation.</summary>
/// <param name="Speaker">The speaker.</param>
/// <param name="Items">The profile items about them.</param>
public sealed record SpeakerProfile(string Speaker, IReadOnlyList<string> Items);

/// <summary>What consolidation made of one conversation.</summary>
/// <param name="Conversation">The conversation id.</param>
/// <param name="TurnsDistilled">Turns the turn trigger distilled.</param>
/// <param name="Profiles">Each speaker's profile.</param>
/// <param name="Facts">Facts.</param>
/// <param name="AgentKnowledge">Agent knowledge items.</param>
/// <param name="FactTexts">The facts, in insertion order.</param>
public sealed record SemanticConversationResult(string Conversation, int TurnsDistilled, IReadOnlyList<SpeakerProfile> Profiles, int Facts, int AgentKnowledge, IReadOnlyList<string> FactTexts);

/// <summary>The semantic evaluation's figures.</summary>
/// <param name="EveryTurns">The turn trigger's N.</param>
/// <param name="Questions">Questions asked.</param>
/// <param name="Conversations">Per conversation: profiles and facts.</param>
/// <param name="EpisodicRecall">Evidence recall of the episodic items alone.</param>
/// <param name="SemanticRecall">Evidence recall with the semantic items first, within the same words.</param>
/// <param name="EpisodicWords">Mean context words of the episodic items (the budget).</param>
/// <param name="SemanticWords">Mean context words used with semantic items (at most the budget).</param>
/// <param name="SemanticItemsPerQuestion">Mean semantic items that fit the budget.</param>
/// <param name="KnowledgeRecall">Evidence recall with facts and agent knowledge first (no profile), within the same words.</param>
/// <param name="KnowledgeWords">Mean context words used that way.</param>
/// <param name="KnowledgeItemsPerQuestion">Mean knowledge items that fit the budget.</param>
public sealed record SemanticSummary(
    int EveryTurns,
    int Questions,
    IReadOnlyList<SemanticConversationResult> Conversations,
    RecallSummary EpisodicRecall,
    RecallSummary SemanticRecall,
    double EpisodicWords,
    double SemanticWords,
    double SemanticItemsPerQuestion,
    RecallSummary KnowledgeRecall,
    double KnowledgeWords,
    double KnowledgeItemsPerQuestion);

/// <summary>Source-generated JSON for the semantic evaluation's summary file.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(SemanticSummary))]
public sealed partial class SemanticSummaryJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
    /// <summary>Indented, and without escaping '+' or non-ASCII text (the file is read by people too).</summary>
    public static SemanticSummaryJsonContext Readable { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
