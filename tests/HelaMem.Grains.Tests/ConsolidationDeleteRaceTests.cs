using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Distillation;
using HelaMem.Grains.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace HelaMem.Grains.Tests;

/// <summary>
/// A consolidation that read memories before they were hard-deleted merges after the delete: nothing derived only from
/// a deleted memory may come back, and a deleted user gets no semantic memory back.
/// </summary>
public sealed class ConsolidationDeleteRaceTests
{
    [Fact]
    public async Task A_memory_deleted_while_the_distiller_runs_is_not_a_source_of_what_it_merges()
    {
        var distiller = new GatedDistiller();
        await using var cluster = await MemoryCluster.StartAsync(configureSilo: silo => silo.Services.AddSingleton<IDistiller>(distiller));
        var session = cluster.Session("acme", "race");
        var ids = await session.IngestAsync(FixtureConversation.Messages());

        // The distiller has read the turns (the support-group turn among them) and is still working.
        var consolidation = session.ConsolidateAsync(FixtureConversation.End);
        await distiller.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await session.Graph.DeleteMemory(ids[0]));
        distiller.Release.SetResult();
        var report = await consolidation;

        Assert.True(report.ItemsAdded > 0);
        var items = await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/race").Items();
        Assert.DoesNotContain(items, i => i.Sources.Contains(ids[0]));
        Assert.DoesNotContain(items, i => i.Text == "Caroline went to the LGBTQ support group on 2023-05-07");
        Assert.Contains(items, i => i.Text == "Melanie has a dog");

        // The graph's own view agrees: a search's semantic items carry no deleted source either.
        var found = await session.RetrieveAsync("What does Caroline do at the support group?", FixtureConversation.End);
        Assert.DoesNotContain(found.Knowledge.Concat(found.Profile), i => i.Sources.Contains(ids[0]));
    }

    [Fact]
    public async Task A_user_deleted_while_the_distiller_runs_gets_no_semantic_memory_back()
    {
        var distiller = new GatedDistiller();
        await using var cluster = await MemoryCluster.StartAsync(configureSilo: silo => silo.Services.AddSingleton<IDistiller>(distiller));
        var session = cluster.Session("acme", "gone");
        await session.IngestAsync(FixtureConversation.Messages());

        var consolidation = session.ConsolidateAsync(FixtureConversation.End);
        await distiller.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        // The delete does not wait for the distiller: the run is stopped, and stores nothing.
        var receipt = await session.Graph.Delete();
        var abandoned = await consolidation;
        distiller.Release.SetResult();

        Assert.True(receipt.NodesDeleted > 0);
        Assert.Equal(0, abandoned.ItemsAdded);
        Assert.Equal(0, (await cluster.Grains.GetGrain<IConsolidationGrain>("acme/gone").Status()).Runs);
        Assert.Empty(await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/gone").Items());
    }

    [Fact]
    public async Task Merging_needs_text_and_an_embedding_and_drops_entries_whose_sources_are_all_unknown()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var session = cluster.Session("acme", "merge");
        var ids = await session.IngestAsync(FixtureConversation.Messages());
        var dimensions = cluster.Embedder.Dimensions;
        var vector = new float[dimensions];
        vector[0] = 1f;

        await Assert.ThrowsAsync<ArgumentException>(() => session.Graph.MergeSemantic([new SemanticEntry(new SemanticItemData(SemanticItemKind.Fact, " ", [ids[0]]), vector)]));
        var merged = await session.Graph.MergeSemantic(
        [
            new SemanticEntry(new SemanticItemData(SemanticItemKind.Fact, "Made up from nothing", [9_999]), vector),
            new SemanticEntry(new SemanticItemData(SemanticItemKind.Fact, "Partly real", [ids[1], 9_999]), vector),
        ]);

        Assert.Equal(1, merged);
        var item = Assert.Single(await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/merge").Items());
        Assert.Equal("Partly real", item.Text);
        Assert.Equal([ids[1]], item.Sources);
    }

    // The extractive distiller, held at its first call until the test releases it (or the run is stopped).
    private sealed class GatedDistiller : IDistiller
    {
        private readonly ExtractiveGrainDistiller _inner = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Entered => _entered.Task;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<SemanticItemData>> DistillAsync(DistillationRequest request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _entered.SetResult();

                // As a provider call does, the wait ends when consolidation is told to stop.
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await _inner.DistillAsync(request, cancellationToken);
        }
    }
}
