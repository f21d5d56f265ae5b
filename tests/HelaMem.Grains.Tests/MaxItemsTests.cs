using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>RetrieveRequest.MaxItems trims the answer (items and context) and nothing else: the graph learns the same.</summary>
public sealed class MaxItemsTests
{
    private const int Limit = 2;

    [Fact]
    public async Task MaxItems_returns_the_best_items_and_only_their_context_while_learning_exactly_as_without_it()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var messages = FixtureConversation.Messages();
        var limited = new GrainRetrievalSession(cluster.Grains, "acme", "limited");
        var full = new GrainRetrievalSession(cluster.Grains, "acme", "full");
        await limited.IngestAsync(messages);
        await full.IngestAsync(messages);

        // Twice through the questions: the second round reads the weights the first one learned.
        var trimmed = 0;
        foreach (var question in FixtureConversation.Questions.Concat(FixtureConversation.Questions))
        {
            var few = await limited.Graph.Retrieve(new RetrieveRequest(question, FixtureConversation.End, MaxItems: Limit));
            var all = await full.Graph.Retrieve(new RetrieveRequest(question, FixtureConversation.End));

            Assert.Equal(all.RetrievalId, few.RetrievalId);
            Assert.Equal(all.Items.Take(Limit), few.Items);
            foreach (var item in few.Items)
            {
                Assert.Contains(item.Content, few.Context, StringComparison.Ordinal);
            }

            foreach (var item in all.Items.Skip(Limit))
            {
                Assert.Contains(item.Content, all.Context, StringComparison.Ordinal);
                Assert.DoesNotContain(item.Content, few.Context, StringComparison.Ordinal);
            }

            Assert.True(few.ContextTokens < all.ContextTokens || all.Items.Count <= Limit);
            trimmed += all.Items.Count - few.Items.Count;
        }

        Assert.True(trimmed > 0, "The limit never trimmed anything: the test would prove nothing.");

        // Every node learned the same: access counts, applied updates and every edge weight.
        var step = (await full.Graph.Stats()).Step;
        for (var node = 0; node < messages.Count; node++)
        {
            var a = (await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/limited/{node}").Read(step))!;
            var b = (await cluster.Grains.GetGrain<IMemoryNodeGrain>($"acme/full/{node}").Read(step))!;
            Assert.Equal(b.AccessCount, a.AccessCount);
            Assert.Equal(b.AppliedReinforcementId, a.AppliedReinforcementId);
            Assert.Equal(b.Edges, a.Edges);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task MaxItems_below_one_gets_a_clear_error_and_learns_nothing(int maxItems)
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "mona");
        await session.IngestAsync(FixtureConversation.Messages());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.Retrieve(new RetrieveRequest("camping", FixtureConversation.End, maxItems)));
        Assert.Contains("at least 1", error.Message, StringComparison.Ordinal);

        var stats = await session.Graph.Stats();
        Assert.Equal(0, stats.Step);
        Assert.Equal(0, stats.Retrievals);
        Assert.Equal(0, (await cluster.Grains.GetGrain<IMemoryNodeGrain>("acme/mona/0").Read(0))!.AccessCount);

        // A limit above the result's size returns the whole result.
        var large = await session.Graph.Retrieve(new RetrieveRequest("camping", FixtureConversation.End, 1000));
        Assert.InRange(large.Items.Count, cluster.Algorithm.TopK, cluster.Algorithm.TopK + cluster.Algorithm.MaxFlipped);
        Assert.NotEmpty(large.Items);
    }
}
