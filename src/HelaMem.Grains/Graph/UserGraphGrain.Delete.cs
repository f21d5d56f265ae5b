using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core.Retrieval;
using HelaMem.Grains.Diagnostics;
using HelaMem.Grains.State;

namespace HelaMem.Grains.Graph;

/// <summary>Delete: the whole user, everywhere, with a receipt.</summary>
public sealed partial class UserGraphGrain
{
    /// <inheritdoc />
    public async Task<DeleteReceipt> Delete()
    {
        _stateInFlux = true;
        _deletingUser = true;
        try
        {
            // A merge sent before reaches the semantic memory before it is cleared; later ones are dropped.
            await AwaitSemanticMergeAsync();
            return await DeleteEverywhereAsync();
        }
        finally
        {
            _stateInFlux = false;
            _deletingUser = false;
        }
    }

    private async Task<DeleteReceipt> DeleteEverywhereAsync()
    {
        var count = _index.Count;
        var deletes = new Task<bool>[count];
        for (var i = 0; i < count; i++)
        {
            deletes[i] = NodeGrain(i).Delete();
        }

        var existed = await Task.WhenAll(deletes);
        var semanticItems = await GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).Clear();
        await GrainFactory.GetGrain<IConsolidationGrain>(GrainKey).Clear();
        if (semanticItems > 0)
        {
            _ = GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).CountSemanticItemsRemoved(semanticItems);
        }

        _flushTimer?.Dispose();
        _flushTimer = null;
        _dirty = false;
        var hadGraph = stored.RecordExists;
        if (hadGraph)
        {
            // After a flush that may be under way, so that it cannot write the graph back.
            await _writes.RunAsync(() => stored.ClearStateAsync());
            await GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).UserDeleted(_key.User);
        }

        // Forget everything in memory too: a call that reaches this activation before it is gone sees an empty graph.
        _index = new BaseIndex(embedder.Dimensions);
        _nodes.Clear();
        _lastReinforcementOf.Clear();
        _learnedBounds.Clear();
        _learnedBoundSteps.Clear();
        _learnedEdges = new LearnedEdgeBounds(_algorithm);
        _structural.Clear();
        _structuralCeilingsStale = true;
        _speakerNames.Clear();
        _semanticMayHoldItems = false;
        stored.State = new GraphState();
        _embedderMismatch = null;
        DeactivateOnIdle();
        var nodesDeleted = existed.LongCount(e => e);
        GrainLog.Deleted(logger, GrainKey, nodesDeleted, semanticItems);
        return new DeleteReceipt(_key.Tenant, _key.User, nodesDeleted, semanticItems, DateTimeOffset.UtcNow);
    }
}
