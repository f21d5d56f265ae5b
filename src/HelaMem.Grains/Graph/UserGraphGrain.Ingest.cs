using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;

namespace HelaMem.Grains.Graph;

/// <summary>Ingest: encoding exactly as <c>MemoryGraph.Add</c> does it, with the nodes and edges written to node grains.</summary>
public sealed partial class UserGraphGrain
{
    /// <inheritdoc />
    public async Task<IngestReceipt> Ingest(IReadOnlyList<IngestMessage> messages, IngestOptions? ingestOptions = null)
    {
        IngestValidation.Validate(messages, _maxMessages, _maxLength);
        IdempotencyLedger.Validate(ingestOptions);
        await RequireSiloEmbedderAsync();
        var now = DateTimeOffset.UtcNow;
        if (IdempotencyLedger.Replay(Graph, ingestOptions, now) is { } replayed)
        {
            GrainLog.IngestReplayed(logger, GrainKey, ingestOptions!.IdempotencyKey!);
            return replayed;
        }

        // De-duplication is decided before anything is admitted or written: only fresh messages count and are stored.
        var existing = ingestOptions?.Deduplicate == true ? DuplicatesOf(messages) : null;
        var fresh = existing is null ? messages : [.. messages.Where((_, i) => existing[i] is null)];

        // Embedded before anything is admitted, counted or written, in one call (a neural or remote embedder batches
        // it): when the provider fails, the request fails with nothing stored, not even its idempotency key, so the
        // same request succeeds once the provider is back (docs/embeddings.md, "Ingest when the provider fails").
        var embeddings = fresh.Count > 0 ? await embedder.EmbedAllAsync(_key.Tenant, [.. fresh.Select(m => m.Content)]) : [];
        if (fresh.Count > 0)
        {
            await GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).AdmitIngest(_key.User, fresh.Count, newUser: Graph.NodeCount == 0);
        }

        _stateInFlux = true;
        try
        {
            var stored = fresh.Count > 0 ? await EncodeAsync(fresh, embeddings, now) : [];
            var receipt = Receipt(messages.Count, existing, stored);
            IdempotencyLedger.Record(Graph, ingestOptions, receipt, now);
            if (fresh.Count > 0 || ingestOptions?.IdempotencyKey is not null)
            {
                // The commit point: the nodes are written, and the graph state (node count, idempotency key) makes them part of it.
                await WriteStateAsync();
            }

            if (fresh.Count > 0 && !_consolidationScheduled && options.ScheduleConsolidation)
            {
                await GrainFactory.GetGrain<IConsolidationGrain>(GrainKey).EnsureScheduled();
                _consolidationScheduled = true;
            }

            GrainLog.Ingested(logger, GrainKey, fresh.Count, _index.Count);
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

    // The receipt in request order: stored messages get their new ids, duplicates the id of the memory they repeat.
    private IngestReceipt Receipt(int count, DuplicateOf?[]? existing, long[] stored)
    {
        var ids = new long[count];
        List<int>? duplicates = null;
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            if (existing?[i] is { } duplicate)
            {
                ids[i] = duplicate.Node ?? ids[duplicate.EarlierMessage];
                (duplicates ??= []).Add(i);
            }
            else
            {
                ids[i] = stored[next++];
            }
        }

        return new IngestReceipt(ids, _index.Count, duplicates);
    }

    // Per message: the memory (or the earlier message of this batch) with the same content, or null when it is new.
    private DuplicateOf?[] DuplicatesOf(IReadOnlyList<IngestMessage> messages)
    {
        var known = ContentIndex();
        var result = new DuplicateOf?[messages.Count];
        var inBatch = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var content = messages[i].Content.Trim();
            if (known.TryGetValue(content, out var node))
            {
                result[i] = new DuplicateOf(node, -1);
            }
            else if (!inBatch.TryAdd(content, i))
            {
                result[i] = new DuplicateOf(null, inBatch[content]);
            }
        }

        return result;
    }

    // Content (trimmed) → the first live memory with it; built on the first de-duplicating ingest, then kept current.
    private Dictionary<string, long> ContentIndex()
    {
        if (_contentIds is null)
        {
            _contentIds = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < _nodes.Count; i++)
            {
                if (!_nodes[i].Deleted)
                {
                    _contentIds.TryAdd(_nodes[i].Content.Trim(), i);
                }
            }
        }

        return _contentIds;
    }

    private readonly record struct DuplicateOf(long? Node, int EarlierMessage);

    private async Task<long[]> EncodeAsync(IReadOnlyList<IngestMessage> messages, float[][] embeddings, DateTimeOffset now)
    {
        var first = _index.Count;
        var ids = new long[messages.Count];
        var creations = new NodeCreation[messages.Count];
        var edges = new Dictionary<long, Dictionary<long, float>>();

        for (var m = 0; m < messages.Count; m++)
        {
            var message = messages[m];
            var embedding = embeddings[m];
            var keywords = KeywordExtractor.Extract(message.Content, _algorithm.StemKeywords);
            var hasPrevious = Graph.LastOfThread.TryGetValue(message.Thread, out var previous);
            IReadOnlyList<string> indexed = keywords;
            if (_algorithm.InheritPreviousKeywords && hasPrevious)
            {
                indexed = [.. keywords.Union(_nodes[(int)previous].Keywords, StringComparer.Ordinal)];
            }

            var index = _index.Add(embedding, message.Timestamp, indexed, message.Speaker);
            var metadata = IngestValidation.CopyMetadata(message.Metadata);
            _nodes.Add(new NodeSummary(message.Content, message.Speaker, message.Timestamp, keywords, metadata, message.Role, message.Conversation));
            _contentIds?.TryAdd(message.Content.Trim(), index);
            _lastReinforcementOf.Add(0);
            _learnedBounds.Add(0f);
            _learnedBoundSteps.Add(0);
            _learnedEdges.AddNode();
            _structural.Add([]);
            ids[m] = index;
            creations[m] = new NodeCreation(message.Content, message.Speaker, message.Timestamp, keywords, embedding, [.. indexed], [], metadata,
                message.Role, message.Conversation, now);

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
        RecordEmbedder();
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
        return ids;
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
