using HelaMem.Abstractions.Contracts;
using HelaMem.Core;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>
/// For a fixed question order the grain path (user graph + node grains, spreading as fan-out, Hebbian updates as
/// one-way messages) returns the same node ids, in the same order and with the same scores, as the core's
/// in-memory MemoryGraph.
/// </summary>
public sealed class ParityTests
{
    public static TheoryData<string> Variants => ["released", "additive", "recommended", "helamem-2", "helamem-3", "entity-edges", "no-spreading"];

    private static HelaMemOptions OptionsFor(string variant) => variant switch
    {
        "released" => HelaMemOptions.Default,
        "additive" => HelaMemOptions.Default with { HebbianRule = HebbianRule.Additive },
        "recommended" => HelaMemOptions.Default with
        {
            StemKeywords = true,
            InheritPreviousKeywords = true,
            KeywordWeighting = KeywordWeighting.Idf,
            SpreadingWeight = 0.5f,
            ReinforcementTopN = 3,
        },
        "entity-edges" => HelaMemOptions.Default with { EntityEdgeWeight = 0.5f, LearningRate = 0.2f },
        "no-spreading" => HelaMemOptions.Default with { SpreadingWeight = 0f },
        "helamem-2" => RetrievalProfiles.Apply(HelaMemOptions.Default, RetrievalProfiles.HelaMem2Name),
        "helamem-3" => RetrievalProfiles.Apply(HelaMemOptions.Default, RetrievalProfiles.HelaMem3Name),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Grain_path_returns_the_core_node_ids_per_question_on_a_fixture_conversation(string variant)
    {
        var options = OptionsFor(variant);
        await using var cluster = await MemoryCluster.StartAsync(options);
        var messages = FixtureConversation.Messages();
        var core = new CorePath(cluster.Embedder, options, messages);
        var session = new GrainRetrievalSession(cluster.Grains, "tenant", "caroline");
        await session.IngestAsync(messages, batchSize: 7);

        // Twice through the questions, so the second round reads weights learned in the first.
        var questions = FixtureConversation.Questions.Concat(FixtureConversation.Questions).ToList();
        var flipped = await AssertSameRetrievalsAsync(core, session, questions, FixtureConversation.End, feedback: false);

        // The comparison covers the flip pathway (items chosen through spreading), not only the base scan.
        Assert.Equal(options.SpreadingWeight > 0, flipped > 0);
    }

    [Fact]
    public async Task Grain_path_matches_the_core_with_usage_feedback_instead_of_co_retrieval_learning()
    {
        var options = HelaMemOptions.Default with { ReinforceOnRetrieve = false, LearningRate = 0.1f };
        await using var cluster = await MemoryCluster.StartAsync(options);
        var messages = FixtureConversation.Messages();
        var core = new CorePath(cluster.Embedder, options, messages);
        var session = new GrainRetrievalSession(cluster.Grains, "tenant", "feedback");
        await session.IngestAsync(messages);

        var questions = FixtureConversation.Questions.Concat(FixtureConversation.Questions).ToList();
        await AssertSameRetrievalsAsync(core, session, questions, FixtureConversation.End, feedback: true);
    }

    [Theory]
    [InlineData("released")]
    [InlineData("helamem-2")]
    [InlineData("helamem-3")]
    public async Task Grain_path_returns_the_core_node_ids_per_question_on_a_locomo_development_conversation(string variant)
    {
        Assert.NotNull(LocomoFixture.DatasetDirectory);
        var (messages, questions, end) = LocomoFixture.Read("26");

        // helamem-2's speaker cue needs questions that name the speakers (Caroline, Melanie): conv-26's do.
        var options = OptionsFor(variant);
        await using var cluster = await MemoryCluster.StartAsync(options);
        var core = new CorePath(cluster.Embedder, options, messages);
        var session = new GrainRetrievalSession(cluster.Grains, "locomo", "conv-26");
        await session.IngestAsync(messages, batchSize: 100);

        Assert.True(questions.Count > 100);
        var flipped = await AssertSameRetrievalsAsync(core, session, questions, end, feedback: false);
        Assert.True(flipped > 0);

        // The graph rebuilds its index, speakers included, from the node grains when it activates again.
        await cluster.DeactivateAsync(session.Graph);
        await AssertSameRetrievalsAsync(core, session, [.. questions.Take(40)], end, feedback: false, checkRetrievals: false);
    }

    [Fact]
    public async Task Grain_path_stays_identical_to_the_core_after_the_graph_reactivates_with_learned_weights()
    {
        // The graph's learned-weight bounds are rebuilt from the nodes on activation: they must stay upper bounds.
        var options = HelaMemOptions.Default;
        await using var cluster = await MemoryCluster.StartAsync(options);
        var messages = FixtureConversation.Messages();
        var core = new CorePath(cluster.Embedder, options, messages);
        var session = new GrainRetrievalSession(cluster.Grains, "tenant", "reactivated");
        await session.IngestAsync(messages);

        await AssertSameRetrievalsAsync(core, session, FixtureConversation.Questions, FixtureConversation.End, feedback: false);
        await cluster.DeactivateAsync(session.Graph);
        var flipped = await AssertSameRetrievalsAsync(core, session, FixtureConversation.Questions, FixtureConversation.End, feedback: false, checkRetrievals: false);
        Assert.True(flipped > 0);
    }

    [Fact]
    public async Task A_capped_fan_out_asks_at_most_the_cap_and_keeps_the_base_pathway_of_the_core()
    {
        var options = HelaMemOptions.Default;
        await using var cluster = await MemoryCluster.StartAsync(options, configure: o => o.MaxSpreadFanOut = 2);
        var messages = FixtureConversation.Messages();
        var core = new CorePath(cluster.Embedder, options, messages);
        var session = new GrainRetrievalSession(cluster.Grains, "capped-tenant", "capped");
        await session.IngestAsync(messages);

        var largest = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "helamem.grains.spread.fanout")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            // Other tests run in parallel in this process: count only this test's tenant.
            foreach (var tag in tags)
            {
                if (tag.Key == "helamem.tenant" && Equals(tag.Value, "capped-tenant"))
                {
                    InterlockedMax(ref largest, value);
                }
            }
        });
        listener.Start();

        foreach (var question in FixtureConversation.Questions.Concat(FixtureConversation.Questions))
        {
            var expected = core.Retrieve(question, FixtureConversation.End);
            var actual = await session.RetrieveAsync(question, FixtureConversation.End);
            var baseItems = actual.Items.Where(i => i.Pathway == RetrievalPathway.Base).Select(i => i.NodeId);
            Assert.Equal(expected.Ids.Take(options.TopK), baseItems);
        }

        Assert.InRange(largest, 1, 2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static async Task<int> AssertSameRetrievalsAsync(CorePath core, GrainRetrievalSession session, IReadOnlyList<string> questions, DateTimeOffset now, bool feedback, bool checkRetrievals = true)
    {
        var flipped = 0;
        for (var q = 0; q < questions.Count; q++)
        {
            var expected = core.Retrieve(questions[q], now);
            var actual = await session.RetrieveAsync(questions[q], now);
            var ids = actual.Items.Select(i => i.NodeId).ToArray();
            Assert.True(expected.Ids.SequenceEqual(ids), $"Question {q} '{questions[q]}': core [{string.Join(',', expected.Ids)}], grains [{string.Join(',', ids)}].");
            var scores = actual.Items.Select(i => i.Score).ToArray();
            Assert.True(expected.Scores.SequenceEqual(scores), $"Question {q}: core scores [{string.Join(',', expected.Scores)}], grains [{string.Join(',', scores)}].");
            Assert.Equal(expected.Tokens, actual.ContextTokens);
            flipped += actual.Items.Count(i => i.Pathway == RetrievalPathway.Flip);

            if (feedback)
            {
                long[] used = [.. ids.Take(4)];
                core.Reinforce(used);
                await session.ReportUsageAsync(actual.RetrievalId, used);
            }
        }

        var stats = await session.Graph.Stats();
        if (checkRetrievals)
        {
            Assert.Equal(questions.Count, stats.Retrievals);
        }

        Assert.Equal(core.Graph.Step, stats.Step);
        return flipped;
    }
}
