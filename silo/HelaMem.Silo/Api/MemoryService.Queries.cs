using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Client.Contracts;
using MemoryFilter = HelaMem.Client.Contracts.MemoryFilter;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Grains;

namespace HelaMem.Silo.Api;

/// <summary>Profile, memories, deletes, consolidation and stats.</summary>
internal sealed partial class MemoryService
{
    /// <summary>The owner's profile and knowledge.</summary>
    public async Task<ProfileResult> ProfileAsync(string tenant, MemoryOwner owner)
    {
        var key = Key(tenant, owner);
        await RequireUserAsync(key);
        var items = await Grains.GetGrain<ISemanticMemoryGrain>(key.ToString()).Items();
        var semantic = items.Select(ToSemantic).ToList();
        return new ProfileResult(owner.Id, [.. semantic.Where(s => s.Kind == "profile")], [.. semantic.Where(s => s.Kind != "profile")]);
    }

    /// <summary>A page of the memories matching <paramref name="filter"/>, in id order.</summary>
    public async Task<MemoryPage> ListAsync(string tenant, MemoryOwner owner, long offset, int limit, MemoryFilter? filter = null)
    {
        var key = Key(tenant, owner);
        if (offset < 0)
        {
            throw ApiProblemException.BadRequest($"query parameter 'offset' is {offset}; it must not be negative.");
        }

        if (limit is < 1 or > ApiDefaults.MaxPageSize)
        {
            throw ApiProblemException.BadRequest($"query parameter 'limit' is {limit}; it must be between 1 and {ApiDefaults.MaxPageSize}.");
        }

        var graphFilter = Filters.ToGraph(filter);
        var stats = await RequireUserAsync(key);
        var page = await Grains.GetGrain<IUserGraphGrain>(key.ToString()).ListMemories(new MemoryListQuery(offset, limit, graphFilter));
        var records = await ReadAsync(key, [.. page.NodeIds], stats.Step);
        return new MemoryPage(owner.Id, [.. records.OfType<MemoryRecord>()], offset, limit, page.Total);
    }

    /// <summary>One memory; 404 when the owner does not have it.</summary>
    public async Task<MemoryRecord> GetAsync(string tenant, MemoryOwner owner, long id)
    {
        var key = Key(tenant, owner);
        var stats = await RequireUserAsync(key);
        if (id < 0 || id >= stats.Nodes)
        {
            throw ApiProblemException.UnknownMemory(owner, id);
        }

        var records = await ReadAsync(key, [id], stats.Step);
        return records[0] ?? throw ApiProblemException.UnknownMemory(owner, id);
    }

    /// <summary>Hard-deletes one memory: out of retrieval at once, its state and annotation gone.</summary>
    public async Task DeleteMemoryAsync(string tenant, MemoryOwner owner, long id)
    {
        var key = Key(tenant, owner);
        await RequireUserAsync(key);

        // The graph takes it out of retrieval before it deletes the node's state; a restarted graph treats a node
        // without state as deleted.
        if (!await Grains.GetGrain<IUserGraphGrain>(key.ToString()).DeleteMemory(id))
        {
            throw ApiProblemException.UnknownMemory(owner, id);
        }

        // Memories ingested by earlier versions kept their role and conversation id in the annotation grain.
        await Grains.GetGrain<IMemoryAnnotationGrain>(key.ToString()).MarkDeleted(id);
    }

    /// <summary>Hard-deletes the owner everywhere.</summary>
    public async Task<DeletionReceipt> DeleteUserAsync(string tenant, MemoryOwner owner, ILogger logger)
    {
        var key = Key(tenant, owner);
        await RequireUserAsync(key);

        // Pending asynchronous ingests first, so none of them stores anything after the graph is gone.
        await Grains.GetGrain<IIngestJobsGrain>(key.ToString()).Clear();
        var receipt = await Grains.GetGrain<IUserGraphGrain>(key.ToString()).Delete();
        await Grains.GetGrain<IMemoryAnnotationGrain>(key.ToString()).Clear();
        SiloLog.UserDeleted(logger, tenant, owner.Segment, receipt.NodesDeleted, receipt.SemanticItemsDeleted);
        return new DeletionReceipt(owner.Id, receipt.NodesDeleted, receipt.SemanticItemsDeleted, receipt.DeletedAt, owner.ScopeText);
    }

    /// <summary>Runs consolidation now (and forgetting when asked).</summary>
    public async Task<ConsolidationResult> ConsolidateAsync(string tenant, MemoryOwner owner, bool forget)
    {
        var key = Key(tenant, owner);
        await RequireUserAsync(key);
        var report = await Grains.GetGrain<IConsolidationGrain>(key.ToString()).RunNow(clock.GetUtcNow(), forget);
        return new ConsolidationResult(report.HubsPending, report.HubsDistilled, report.ItemsAdded, report.NodesArchived, report.CompletedAt,
            report.TurnsDistilled, report.TurnsPending, report.Deferred);
    }

    /// <summary>The owner's statistics.</summary>
    public async Task<UserStats> StatsAsync(string tenant, MemoryOwner owner)
    {
        var key = Key(tenant, owner);
        var stats = await RequireUserAsync(key);
        var semantic = await Grains.GetGrain<ISemanticMemoryGrain>(key.ToString()).Items();
        return new UserStats(owner.Id, stats.Nodes, stats.ActiveNodes, stats.ArchivedNodes, stats.Step, stats.Retrievals, semantic.Count, owner.ScopeText);
    }

    private async Task<MemoryRecord?[]> ReadAsync(GraphKey key, List<long> ids, long step)
    {
        var nodes = await Task.WhenAll(ids.Select(id => Grains.GetGrain<IMemoryNodeGrain>(key.Node(id).ToString()).Read(step)));
        var annotations = await Grains.GetGrain<IMemoryAnnotationGrain>(key.ToString()).Lookup(ids);
        var records = new MemoryRecord?[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            if (nodes[i] is { } node)
            {
                var annotation = annotations[i];
                records[i] = new MemoryRecord(node.NodeId, node.Content, node.Speaker, node.Timestamp, node.Conversation ?? annotation?.ConversationId,
                    node.Role ?? annotation?.Role, node.Version > 1 ? node.Metadata ?? NoMetadata : MetadataOf(node.Metadata, annotation), node.Keywords, node.AccessCount, node.LastAccess, node.Archived,
                    node.Version);
            }
        }

        return records;
    }
}
