using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core.Context;
using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Semantic;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;
using System.Numerics.Tensors;

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

        if (_index.Count == 0)
        {
            // An unknown (or deleted) user: nothing to retrieve or learn, and nothing is written for it.
            return new RetrievalResponse(0, [], [], [], "", 0);
        }

        var query = new float[embedder.Dimensions];
        embedder.Embed(request.Query, query);
        var keywords = KeywordExtractor.Extract(request.Query, _algorithm.StemKeywords);
        var count = await SelectAsync(query, keywords, request.Now, Graph.Step + 1);

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
        var semantic = _semanticMayHoldItems
            ? await GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).Search(query, _algorithm.SemanticTopK, _algorithm.ProfileMaxItems)
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
                selected.Pathway == Pathway.Base ? RetrievalPathway.Base : RetrievalPathway.Flip, node.Metadata);
            memories[i] = new MemoryNode(selected.Index, node.Content, node.Speaker, node.Timestamp, node.Keywords);
        }

        var context = ContextAssembler.Assemble(semantic.Profile.Select(ToCore), semantic.Knowledge.Select(ToCore), memories);
        return new RetrievalResponse(retrievalId, items, semantic.Knowledge, semantic.Profile, context.Text, context.Tokens);
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
            GrowDegreeBounds(used);
            foreach (var node in used)
            {
                _lastReinforcementOf[(int)node] = reinforcement.ReinforcementId;
                _ = NodeGrain(node).Reinforce(reinforcement);
            }
        }

        MarkDirty();
        return Task.CompletedTask;
    }

    private async Task<int> SelectAsync(float[] query, IReadOnlyList<string> keywords, DateTimeOffset now, long waveId)
    {
        EnsureCommonComponent();
        EnsureScoreCapacity();
        var n = _index.Count;
        var baseScores = _baseScores.AsMemory(0, n);
        _index.ComputeBaseScores(query, keywords, now, _algorithm, baseScores.Span);
        baseScores.Span.CopyTo(_spreadScores);
        var k = _algorithm.TopK;
        var baseCount = TopK.Select(baseScores.Span, k, _scratch.AsSpan(0, k));
        var kthBase = baseCount == k ? _scratch[k - 1].Score : float.NegativeInfinity;
        if (_algorithm.SpreadingWeight > 0f && n > 0)
        {
            await SpreadAsync(baseScores, kthBase, waveId);
        }

        var maxFlipped = _algorithm.SpreadingWeight > 0 ? _algorithm.MaxFlipped : 0;
        return DualPathwaySelector.Complete(baseScores.Span, _spreadScores.AsSpan(0, n), k, maxFlipped, baseCount, _scratch, _selection);
    }

    // Spreading only where it can change the result, as the core's SpreadingActivation.SpreadWhereItMatters: S ≥ S_base,
    // so the k-th best S is at least the k-th best base score, and a node whose bound S_base + β·max_seed·D̂ is below
    // it cannot enter the top k by S. The remaining candidates pull their exact S in one concurrent fan-out.
    private async Task SpreadAsync(ReadOnlyMemory<float> baseScores, float kthBase, long waveId)
    {
        var beta = _algorithm.SpreadingWeight;
        var threshold = _algorithm.SpreadingThreshold;
        var candidates = FindCandidates(baseScores.Span, kthBase, beta, threshold);
        GrainMetrics.SpreadCandidates.Record(candidates.Count, new KeyValuePair<string, object?>(GrainMetrics.TenantTag, _key.Tenant));
        if (candidates.Count == 0)
        {
            return;
        }

        // A candidate without learned weights pulls only through its structural edges, which this grain laid down and
        // keeps in the node's order: computed here with the core's arithmetic. The others hold Hebbian state only
        // their node grain knows: they are asked, all at once.
        var own = baseScores.Span;
        var remote = new List<int>(candidates.Count);
        foreach (var node in candidates)
        {
            if (_learnedBounds[node] == 0f)
            {
                _spreadScores[node] = own[node] + (beta * PullStructural(own, node, threshold));
            }
            else
            {
                remote.Add(node);
            }
        }

        if (options.MaxSpreadFanOut is { } cap && remote.Count > cap)
        {
            // Approximate mode: ask only the nodes with the highest bounds; the others keep their structural pull
            // (a lower bound of their S: their learned weights are left out).
            var bounds = new ScoredIndex[remote.Count];
            for (var r = 0; r < remote.Count; r++)
            {
                var node = remote[r];
                var pullable = PullStructural(own, node, threshold) + (BestSeed(own, _learnedNeighbours[node], threshold) * _learnedBounds[node]);
                bounds[r] = new ScoredIndex(node, own[node] + (beta * pullable));
            }

            Array.Sort(bounds, static (a, b) => ScoredIndex.RanksBefore(a, b) ? -1 : ScoredIndex.RanksBefore(b, a) ? 1 : 0);
            var asked = bounds.Take(cap).Select(b => b.Index).ToHashSet();
            foreach (var node in remote.Where(node => !asked.Contains(node)))
            {
                _spreadScores[node] = own[node] + (beta * PullStructural(own, node, threshold));
            }

            remote = [.. remote.Where(asked.Contains)];
        }

        GrainMetrics.SpreadFanOut.Record(remote.Count, new KeyValuePair<string, object?>(GrainMetrics.TenantTag, _key.Tenant));
        candidates = remote;
        if (candidates.Count == 0)
        {
            return;
        }

        var wave = new SpreadWave(waveId, baseScores, threshold, Graph.Step);
        var replies = new PullReply[candidates.Count];
        var pending = Enumerable.Range(0, candidates.Count).ToList();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt > options.SpreadRetries)
            {
                throw new TimeoutException($"Graph {_key}: {pending.Count} nodes did not apply their last Hebbian update in time.");
            }

            if (attempt > 0)
            {
                // A one-way update is still queued behind its activation: give it a moment, then ask again.
                await Task.Delay(1);
            }

            var calls = new Task<PullReply?>[pending.Count];
            for (var p = 0; p < pending.Count; p++)
            {
                var node = candidates[pending[p]];
                calls[p] = NodeGrain(node).Pull(wave, _lastReinforcementOf[node]);
            }

            var answers = await Task.WhenAll(calls);
            var stillPending = new List<int>();
            for (var p = 0; p < pending.Count; p++)
            {
                if (answers[p] is { } reply)
                {
                    replies[pending[p]] = reply;
                }
                else
                {
                    stillPending.Add(pending[p]);
                }
            }

            pending = stillPending;
        }

        own = baseScores.Span;
        for (var c = 0; c < candidates.Count; c++)
        {
            var node = candidates[c];
            _spreadScores[node] = own[node] + (beta * replies[c].Pulled);
            _learnedBounds[node] = replies[c].LearnedDegree * BoundSlack;
            if (replies[c].LearnedDegree == 0f)
            {
                _learnedNeighbours[node].Clear();
            }
        }
    }

    private static bool MayReach(float own, float pullable, float beta, float kthBase) =>
        own + (beta * pullable * BoundSlack) >= kthBase;

    private static float BestSeed(ReadOnlySpan<float> baseScores, HashSet<int> neighbours, float threshold)
    {
        var best = 0f;
        foreach (var neighbour in neighbours)
        {
            var seed = baseScores[neighbour];
            if (seed > threshold && seed > best)
            {
                best = seed;
            }
        }

        return best;
    }

    // EdgeSet.Pull for a node whose edges are all structural: Σ over seeds of S_base·min(1, s + 0), ascending by neighbour.
    private float PullStructural(ReadOnlySpan<float> baseScores, int node, float threshold)
    {
        var sum = 0f;
        foreach (var edge in _structural[node])
        {
            var seed = baseScores[(int)edge.Neighbour];
            if (seed > threshold)
            {
                sum += seed * Math.Min(1f, edge.Weight + 0f);
            }
        }

        return sum;
    }

    // A node can pull at most Σ_{structural i, S_base(i) > θ} S_base(i)·s_ij + max_seed·L̂_j, because every weight is
    // at most its structural part plus its learned part and the learned parts sum to at most L̂_j. A node whose
    // S_base + β·that bound is below the k-th best base score cannot enter the top k by S (S ≥ S_base everywhere),
    // so it is not asked, exactly as the core leaves it out (a superset of the core's candidates is still exact).
    private List<int> FindCandidates(ReadOnlySpan<float> baseScores, float kthBase, float beta, float threshold)
    {
        var candidates = new List<int>();
        var maxSeed = TensorPrimitives.Max(baseScores);
        if (!(maxSeed > threshold))
        {
            return candidates;
        }

        var seedCeiling = Math.Max(0f, maxSeed);
        for (var j = 0; j < baseScores.Length; j++)
        {
            var own = baseScores[j];
            if (float.IsNegativeInfinity(own))
            {
                continue;
            }

            var structural = 0f;
            foreach (var edge in _structural[j])
            {
                var seed = baseScores[(int)edge.Neighbour];
                if (seed > threshold && seed > 0f)
                {
                    structural += seed * edge.Weight;
                }
            }

            // First with the best seed anywhere (cheap), then, if that does not rule the node out, with the best
            // seed among its possible learned neighbours.
            var learned = _learnedBounds[j];
            if (!MayReach(own, structural + (seedCeiling * learned), beta, kthBase))
            {
                continue;
            }

            if (learned > 0f && !MayReach(own, structural + (BestSeed(baseScores, _learnedNeighbours[j], threshold) * learned), beta, kthBase))
            {
                continue;
            }

            if (structural + learned > 0f)
            {
                candidates.Add(j);
            }
        }

        return candidates;
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
        GrowDegreeBounds(coactivated);
        foreach (var node in selected)
        {
            _lastReinforcementOf[(int)node] = reinforcement.ReinforcementId;
            _ = NodeGrain(node).Reinforce(reinforcement);
        }
    }

    // Each update adds at most η per co-activated partner to a node's learned degree ((1 − λ)·w + η ≤ w + η), so
    // the bound stays an upper bound until the node reports its exact learned degree again.
    private void GrowDegreeBounds(long[] coactivated)
    {
        if (coactivated.Length < 2 || _algorithm.LearningRate == 0f)
        {
            return;
        }

        var growth = _algorithm.LearningRate * (coactivated.Length - 1) * BoundSlack;
        foreach (var node in coactivated)
        {
            _learnedBounds[(int)node] += growth;
            var neighbours = _learnedNeighbours[(int)node];
            foreach (var partner in coactivated)
            {
                if (partner != node)
                {
                    neighbours.Add((int)partner);
                }
            }
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
