using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core.Context;
using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Semantic;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;

namespace HelaMem.Grains.Graph;

/// <summary>Retrieval: base scan, spreading fan-out, dual pathway, one-way Hebbian update, semantic items, context.</summary>
public sealed partial class UserGraphGrain
{
    /// <inheritdoc />
    public async Task<RetrievalResponse> Retrieve(RetrieveRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw new ArgumentException("The query must not be empty.", nameof(request));
        }

        if (request.Query.Length > _maxLength)
        {
            throw new ArgumentException($"The query is {request.Query.Length} characters long; at most {_maxLength} are allowed.", nameof(request));
        }

        if (request.MaxItems is < 1)
        {
            throw new ArgumentException($"MaxItems is {request.MaxItems}; it must be at least 1 (or null for every selected item).", nameof(request));
        }

        var filter = MemoryFilterMatcher.Create(request.Filter);
        await RequireSiloEmbedderAsync();
        if (_index.Count == 0)
        {
            // An unknown (or deleted) user: nothing to retrieve or learn, and nothing is written for it.
            return new RetrievalResponse(0, [], [], [], "", 0, _profile);
        }

        var (query, degradedReason) = await EmbedQueryAsync(request.Query);
        var keywords = KeywordExtractor.Extract(request.Query, _algorithm.StemKeywords);
        var count = await SelectAsync(query, keywords, request.Now, Graph.Step + 1, filter);

        Graph.Step++;
        Graph.Retrievals++;
        var retrievalId = Graph.Step;
        SendReinforcement(count, request.Now);
        MarkDirty();

        // The semantic query has the graph's common component removed, as in MemoryGraph.
        var direction = _index.CommonDirection;
        if (direction.Length > 0)
        {
            CommonComponent.Remove(query, direction);
        }

        // Only ask the semantic-memory grain once it holds something (consolidation tells this grain after a merge).
        // Without a query vector no knowledge item is closer than another: none is returned rather than arbitrary ones,
        // while the profile (which describes the user whatever the question) still is.
        var semantic = _semanticMayHoldItems
            ? await GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).Search(query, degradedReason is null ? _algorithm.SemanticTopK : 0, _algorithm.ProfileMaxItems)
            : EmptySemantic;
        _retrievalsToReport++;

        // MaxItems trims only the answer (items and context); the reinforcement above covered the whole selection, so
        // the graph learns exactly as the core does whatever a caller asks for.
        var returned = request.MaxItems is { } maxItems ? Math.Min(count, maxItems) : count;
        var items = new RetrievedItem[returned];
        var memories = new MemoryNode[returned];
        for (var i = 0; i < returned; i++)
        {
            var selected = _selection[i];
            var node = _nodes[selected.Index];
            items[i] = new RetrievedItem(selected.Index, node.Content, node.Speaker, node.Timestamp, selected.BaseScore, selected.Score,
                selected.Pathway == Pathway.Base ? RetrievalPathway.Base : RetrievalPathway.Flip, node.Metadata, node.Role, node.Conversation);
            memories[i] = new MemoryNode(selected.Index, node.Content, node.Speaker, node.Timestamp, node.Keywords);
        }

        var context = ContextAssembler.Assemble(semantic.Profile.Select(ToCore), semantic.Knowledge.Select(ToCore), memories);
        return new RetrievalResponse(retrievalId, items, semantic.Knowledge, semantic.Profile, context.Text, context.Tokens, _profile, degradedReason);
    }

    // The query's vector, or, when the embedder cannot embed now, a zero vector and why: a search still answers from
    // keyword, speaker, time and graph scores (the zero vector gives every memory the same similarity) instead of failing.
    // The selection then learns as usual: it is what the agent was given (docs/embeddings.md, "Degraded search").
    private async ValueTask<(float[] Query, string? DegradedReason)> EmbedQueryAsync(string text)
    {
        try
        {
            return (await embedder.EmbedAsync(_key.Tenant, text), null);
        }
        catch (EmbeddingUnavailableException unavailable)
        {
            GrainLog.RetrievalDegraded(logger, GrainKey, unavailable.Reason);
            GrainMetrics.RecordDegradedRetrieval(_key.Tenant);
            return (new float[embedder.Dimensions], unavailable.Reason);
        }
    }

    /// <inheritdoc />
    public Task SemanticMemoryChanged(int items)
    {
        _semanticMayHoldItems = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReportUsage(long retrievalId, IReadOnlyList<long> usedNodes)
    {
        ArgumentNullException.ThrowIfNull(usedNodes);
        if (retrievalId < 1 || retrievalId > Graph.Step)
        {
            throw new ArgumentException($"Retrieval {retrievalId} is unknown to graph {_key}; its retrievals are 1 … {Graph.Step}.", nameof(retrievalId));
        }

        foreach (var node in usedNodes)
        {
            RequireNode(node, nameof(usedNodes));
        }

        if (retrievalId <= Graph.LastUsageRetrievalId)
        {
            return Task.CompletedTask;
        }

        long[] used = [.. usedNodes.Distinct()];
        Graph.LastUsageRetrievalId = retrievalId;
        if (used.Length > 1 && _algorithm.LearningRate > 0f)
        {
            // Reinforce on use counts as the current step's learning, as MemoryGraph.Reinforce does.
            var reinforcement = new Reinforcement(++Graph.LastReinforcementId, Graph.Step, used, null);
            GrowLearnedBounds(used, Graph.Step);
            foreach (var node in used)
            {
                _lastReinforcementOf[(int)node] = reinforcement.ReinforcementId;
                _reinforcedSinceSnapshot.Add((int)node);
                _ = NodeGrain(node).Reinforce(reinforcement);
            }
        }

        MarkDirty();
        return Task.CompletedTask;
    }

    private async Task<int> SelectAsync(float[] query, IReadOnlyList<string> keywords, DateTimeOffset now, long waveId, MemoryFilterMatcher? filter)
    {
        EnsureCommonComponent();
        EnsureScoreCapacity();
        var n = _index.Count;
        var baseScores = _baseScores.AsMemory(0, n);
        _index.ComputeBaseScores(query, keywords, now, _algorithm, baseScores.Span);
        if (filter is not null)
        {
            // A memory the filter excludes is archived for this retrieval: neither selected nor a seed of spreading.
            var scores = baseScores.Span;
            for (var i = 0; i < n; i++)
            {
                if (!filter.Matches(_nodes[i]))
                {
                    scores[i] = float.NegativeInfinity;
                }
            }
        }

        baseScores.Span.CopyTo(_spreadScores);
        var k = _algorithm.TopK;
        var selected = TopK.Select(baseScores.Span, k, _scratch.AsSpan(0, k));
        var maxFlipped = _algorithm.SpreadingWeight > 0 ? _algorithm.MaxFlipped : 0;
        var baseCount = RelativeCut.Apply(_scratch, selected, _algorithm.RelativeCutoff, _algorithm.MinTopK);
        var kthBase = RelativeCut.SpreadBound(_scratch, baseCount, selected, k, maxFlipped);
        if (_algorithm.SpreadingWeight > 0f && n > 0)
        {
            await SpreadAsync(baseScores, kthBase, waveId);
        }

        return DualPathwaySelector.Complete(baseScores.Span, _spreadScores.AsSpan(0, n), k, maxFlipped, baseCount, _scratch, _selection);
    }

    // Every selected node records the access; the co-activated set (the whole result, or its best base items when
    // the relevance gate is on) reinforces each other. Base items come first, best first, so the gate is a prefix.
    private void SendReinforcement(int count, DateTimeOffset now)
    {
        if (count == 0)
        {
            return;
        }

        var selected = new long[count];
        for (var i = 0; i < count; i++)
        {
            selected[i] = _selection[i].Index;
        }

        var gate = _algorithm.ReinforcementTopN;
        long[] coactivated = !_algorithm.ReinforceOnRetrieve || _algorithm.LearningRate == 0f
            ? []
            : gate > 0 && gate < count ? selected[..gate] : selected;
        var reinforcement = new Reinforcement(++Graph.LastReinforcementId, Graph.Step, coactivated, now);
        GrowLearnedBounds(coactivated, Graph.Step);
        foreach (var node in selected)
        {
            _lastReinforcementOf[(int)node] = reinforcement.ReinforcementId;
            _reinforcedSinceSnapshot.Add((int)node);
            _ = NodeGrain(node).Reinforce(reinforcement);
        }
    }

    private static SemanticItem ToCore(SemanticItemData item) =>
        new(item.Kind switch
        {
            SemanticItemKind.Profile => SemanticKind.Profile,
            SemanticItemKind.Fact => SemanticKind.Fact,
            _ => SemanticKind.AgentKnowledge,
        }, item.Text, [.. item.Sources.Select(s => (int)s)]);
}
