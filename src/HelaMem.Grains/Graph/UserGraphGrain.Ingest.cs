using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;

namespace HelaMem.Grains.Graph;

/// <summary>Ingest: encoding exactly as <c>MemoryGraph.Add</c> does it, with the nodes and edges written to node grains.</summary>
public sealed partial class UserGraphGrain
{
    /// <inheritdoc />
    public async Task<IngestReceipt> Ingest(IReadOnlyList<IngestMessage> messages)
    {
        IngestValidation.Validate(messages, _maxMessages, _maxLength);
        await GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).AdmitIngest(_key.User, messages.Count, newUser: Graph.NodeCount == 0);

        _stateInFlux = true;
        try
        {
            var receipt = await EncodeAsync(messages);
            GrainLog.Ingested(logger, GrainKey, messages.Count, _index.Count);
            return receipt;
        }
        catch (Exception exception)
        {
            // The in-memory index may be ahead of what was stored: start over from durable state on the next call,
            // without writing this activation's state on the way out.
            GrainLog.IngestFailed(logger, GrainKey, exception);
            _stateDiscarded = true;
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            _stateInFlux = false;
        }
    }

    private async Task<IngestReceipt> EncodeAsync(IReadOnlyList<IngestMessage> messages)
    {
        var first = _index.Count;
        var ids = new long[messages.Count];
        var creations = new NodeCreation[messages.Count];
        var edges = new Dictionary<long, Dictionary<long, float>>();

        for (var m = 0; m < messages.Count; m++)
        {
            var message = messages[m];
            var embedding = new float[embedder.Dimensions];
            embedder.Embed(message.Content, embedding);
            var keywords = KeywordExtractor.Extract(message.Content, _algorithm.StemKeywords);
            var hasPrevious = Graph.LastOfThread.TryGetValue(message.Thread, out var previous);
            IReadOnlyList<string> indexed = keywords;
            if (_algorithm.InheritPreviousKeywords && hasPrevious)
            {
                indexed = [.. keywords.Union(_nodes[(int)previous].Keywords, StringComparer.Ordinal)];
            }

            var index = _index.Add(embedding, message.Timestamp, indexed);
            var metadata = IngestValidation.CopyMetadata(message.Metadata);
            _nodes.Add(new NodeSummary(message.Content, message.Speaker, message.Timestamp, keywords, metadata));
            _lastReinforcementOf.Add(0);
            _learnedBounds.Add(0f);
            _learnedBoundSteps.Add(0);
            _learnedEdges.AddNode();
            _structural.Add([]);
            ids[m] = index;
            creations[m] = new NodeCreation(message.Content, message.Speaker, message.Timestamp, keywords, embedding, [.. indexed], [], metadata);

            if (hasPrevious && _algorithm.TemporalEdgeWeight > 0)
            {
                Link(edges, previous, index, _algorithm.TemporalEdgeWeight);
            }

            Graph.LastOfThread[message.Thread] = index;
            if (_algorithm.EntityEdgeWeight > 0)
            {
                LinkEntities(edges, message, index);
            }
        }

        foreach (var (node, list) in edges)
        {
            foreach (var (neighbour, weight) in list)
            {
                AddStructuralMirror(_structural[(int)node], neighbour, weight);
            }
        }

        _structuralCeilingsStale = true;

        Graph.NodeCount = _index.Count;
        Graph.Profile ??= _profile;
        Graph.SpeakerNames = [.. _speakerNames.Order(StringComparer.Ordinal)];
        EnsureScoreCapacity();

        var writes = new List<Task>(messages.Count + edges.Count);
        for (var m = 0; m < messages.Count; m++)
        {
            var id = ids[m];
            var own = edges.TryGetValue(id, out var list) ? ToEdges(list) : [];
            writes.Add(NodeGrain(id).Create(creations[m] with { Edges = own }));
        }

        foreach (var (node, list) in edges)
        {
            if (node < first)
            {
                writes.Add(NodeGrain(node).AddEdges(ToEdges(list)));
            }
        }

        await Task.WhenAll(writes);
        await WriteStateAsync();

        if (!_consolidationScheduled && options.ScheduleConsolidation)
        {
            await GrainFactory.GetGrain<IConsolidationGrain>(GrainKey).EnsureScheduled();
            _consolidationScheduled = true;
        }

        return new IngestReceipt(ids, _index.Count);
    }

    // Each mention of an entity is linked to the previous one (a chain per entity), as MemoryGraph does.
    private void LinkEntities(Dictionary<long, Dictionary<long, float>> edges, IngestMessage message, int index)
    {
        foreach (var name in Tokenizer.Tokenize(message.Speaker))
        {
            _speakerNames.Add(name);
        }

        foreach (var entity in EntityExtractor.Extract(message.Content, _speakerNames))
        {
            if (Graph.LastMentionOfEntity.TryGetValue(entity, out var earlier) && earlier != index)
            {
                Link(edges, earlier, index, _algorithm.EntityEdgeWeight);
            }

            Graph.LastMentionOfEntity[entity] = index;
        }
    }

    private static void Link(Dictionary<long, Dictionary<long, float>> edges, long a, long b, float weight)
    {
        Add(a, b);
        Add(b, a);

        void Add(long from, long to)
        {
            if (!edges.TryGetValue(from, out var list))
            {
                list = [];
                edges.Add(from, list);
            }

            // Structural weights keep the largest weight laid down (EdgeSet.AddStructural).
            list[to] = list.TryGetValue(to, out var existing) ? Math.Max(existing, weight) : weight;
        }
    }

    // The graph's copy of a node's structural edges, kept as the node's edge set keeps them: ascending by neighbour,
    // one entry per neighbour, the larger weight, capped at 1 (EdgeSet.AddStructural).
    private static void AddStructuralMirror(List<StructuralEdge> edges, long neighbour, float weight)
    {
        int low = 0, high = edges.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (edges[middle].Neighbour == neighbour)
            {
                edges[middle] = new StructuralEdge(neighbour, Math.Min(1f, Math.Max(edges[middle].Weight, weight)));
                return;
            }

            if (edges[middle].Neighbour < neighbour)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        edges.Insert(low, new StructuralEdge(neighbour, Math.Min(1f, weight)));
    }

    private static StructuralEdge[] ToEdges(Dictionary<long, float> list) =>
        [.. list.OrderBy(e => e.Key).Select(e => new StructuralEdge(e.Key, e.Value))];
}
