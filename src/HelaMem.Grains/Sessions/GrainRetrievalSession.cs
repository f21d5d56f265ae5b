using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Grains.Placement;
using Orleans.Runtime;

namespace HelaMem.Grains.Sessions;

/// <summary>
/// One user's memory through the grains, for evaluations and tests: ingest a conversation in batches, retrieve
/// question by question, report usage, consolidate. Works with any grain factory (an in-process test cluster, or
/// a silo's), so <c>helamem eval locomo --engine grains</c> needs only a cluster with <c>AddHelaMemGrains</c> and this.
/// </summary>
public sealed class GrainRetrievalSession
{
    private readonly IGrainFactory _grains;

    /// <summary>A session on graph <c>tenant/user</c>; throws <see cref="ArgumentException"/> for invalid ids.</summary>
    public GrainRetrievalSession(IGrainFactory grains, string tenant, string user)
        : this(grains, new GraphKey(tenant, user))
    {
    }

    /// <summary>A session on <paramref name="owner"/>'s graph (a user's, an agent's or a run's); throws <see cref="ArgumentException"/> for an invalid tenant.</summary>
    public GrainRetrievalSession(IGrainFactory grains, string tenant, MemoryOwner owner)
        : this(grains, new GraphKey(tenant, owner))
    {
    }

    private GrainRetrievalSession(IGrainFactory grains, GraphKey key)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        Key = key;
        Graph = grains.GetGrain<IUserGraphGrain>(Key.ToString());
    }

    /// <summary>The graph's key.</summary>
    public GraphKey Key { get; }

    /// <summary>The user-graph grain.</summary>
    public IUserGraphGrain Graph { get; }

    /// <summary>Ingests <paramref name="messages"/> in order, <paramref name="batchSize"/> per call; returns every node id.</summary>
    public async Task<IReadOnlyList<long>> IngestAsync(IEnumerable<IngestMessage> messages, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var ids = new List<long>();
        foreach (var batch in messages.Chunk(batchSize))
        {
            var receipt = await Graph.Ingest(batch);
            ids.AddRange(receipt.NodeIds);
        }

        return ids;
    }

    /// <summary>Retrieves for one question.</summary>
    public Task<RetrievalResponse> RetrieveAsync(string question, DateTimeOffset now) => Graph.Retrieve(new RetrieveRequest(question, now));

    /// <summary>Reports the items of a retrieval the agent used (reinforce on use).</summary>
    public Task ReportUsageAsync(long retrievalId, IReadOnlyList<long> usedNodes) => Graph.ReportUsage(retrievalId, usedNodes);

    /// <summary>Distills pending hubs and every new turn now (no forgetting sweep: an evaluation replays old conversations).</summary>
    public Task<ConsolidationReport> ConsolidateAsync(DateTimeOffset now) =>
        _grains.GetGrain<IConsolidationGrain>(Key.ToString()).RunNow(now, forget: false);

    /// <summary>Deletes the user everywhere.</summary>
    public Task<DeleteReceipt> DeleteAsync() => Graph.Delete();
}
