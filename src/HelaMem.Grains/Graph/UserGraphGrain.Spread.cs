using HelaMem.Abstractions.Contracts;
using HelaMem.Core.Retrieval;
using HelaMem.Grains.Diagnostics;
using System.Numerics.Tensors;

namespace HelaMem.Grains.Graph;

/// <summary>
/// Spreading, only where it can change the result and only remotely where the graph cannot compute it itself.
/// </summary>
public sealed partial class UserGraphGrain
{
    // Candidates whose learned edges may carry activation in the current wave (their node grains are asked), with
    // the bound of what each can pull.
    private readonly List<int> _remote = [];
    private readonly List<float> _remotePullable = [];
    private float[] _lowerScores = [];

    // Per node, Σ of its positive structural weights with a margin for float rounding: the best seed times this bounds
    // its structural pull, so most nodes are ruled out without walking their edges (rebuilt after an ingest).
    private float[] _structuralCeilings = [];
    private bool _structuralCeilingsStale = true;

    // As the core's SpreadingActivation.SpreadWhereItMatters: S ≥ S_base, so the k-th best S is at least the k-th best
    // base score, and a node whose bound on S is below it cannot enter the top k by S. Of the remaining candidates,
    // those whose learned edges cannot carry activation in this wave pull through their structural edges only, which
    // this grain laid down and keeps in the node's order: computed here with the core's arithmetic. The others hold
    // Hebbian state only their node grain knows: they are asked, in two concurrent rounds. The first asks the base
    // top k and the m most promising others; their exact S raise the lower bounds that decide which nodes can still
    // be flipped, which rules out most of the rest before the second round asks them.
    private async Task SpreadAsync(ReadOnlyMemory<float> baseScores, float kthBase, long waveId)
    {
        var beta = _algorithm.SpreadingWeight;
        var threshold = _algorithm.SpreadingThreshold;
        var local = FindCandidates(baseScores.Span, kthBase, beta, threshold);
        var tenant = new KeyValuePair<string, object?>(GrainMetrics.TenantTag, _key.Tenant);
        if (_remote.Count == 0)
        {
            GrainMetrics.SpreadCandidates.Record(local, tenant);
            GrainMetrics.SpreadFanOut.Record(0, tenant);
            return;
        }

        var wave = new SpreadWave(waveId, baseScores, threshold, Graph.Step);
        if (options.MaxSpreadFanOut is { } cap)
        {
            GrainMetrics.SpreadCandidates.Record(local + _remote.Count, tenant);
            if (_remote.Count > cap)
            {
                CapFanOut(baseScores.Span, cap, beta, threshold);
            }

            GrainMetrics.SpreadFanOut.Record(_remote.Count, tenant);
            await PullIntoScoresAsync([.. _remote], wave, beta);
            return;
        }

        InitialiseLowerBounds(baseScores.Span, beta, threshold);
        KeepRemoteThatMayReach(baseScores.Span, kthBase, beta);
        var first = SplitFirstRound(baseScores.Span, kthBase, beta);
        var asked = first.Length;
        await PullIntoScoresAsync(first, wave, beta);

        KeepRemoteThatMayReach(baseScores.Span, kthBase, beta);
        asked += _remote.Count;
        if (_remote.Count > 0)
        {
            await PullIntoScoresAsync([.. _remote], wave, beta);
        }

        GrainMetrics.SpreadCandidates.Record(local + asked, tenant);
        GrainMetrics.SpreadFanOut.Record(asked, tenant);
    }

    private async Task PullIntoScoresAsync(int[] candidates, SpreadWave wave, float beta)
    {
        var replies = await PullAsync(candidates, wave);
        var own = wave.BaseScores.Span;
        for (var c = 0; c < candidates.Length; c++)
        {
            var node = candidates[c];
            var score = own[node] + (beta * replies[c].Pulled);
            _spreadScores[node] = score;
            if (_lowerScores.Length > node)
            {
                _lowerScores[node] = score;
            }

            _learnedBounds[node] = replies[c].LearnedDegree * BoundSlack;
            _learnedBoundSteps[node] = wave.Step;
            if (replies[c].LearnedDegree == 0f)
            {
                _learnedEdges.Clear(node);
            }
        }
    }

    // A lower bound of every node's S: the exact S where computed, S_base + β·(structural pull) for the remote
    // candidates (learned parts only add to a weight, and float rounding is monotonic, so the structural pull is a
    // lower bound of the node's pull in float too), S_base elsewhere. With a negative θ a seed may be negative and a
    // learned part lower the pull: then S_base is the only lower bound used.
    private void InitialiseLowerBounds(ReadOnlySpan<float> baseScores, float beta, float threshold)
    {
        if (_lowerScores.Length < _spreadScores.Length)
        {
            _lowerScores = new float[_spreadScores.Length];
        }

        var n = baseScores.Length;
        _spreadScores.AsSpan(0, n).CopyTo(_lowerScores);
        if (threshold < 0f)
        {
            return;
        }

        foreach (var node in _remote)
        {
            _lowerScores[node] = baseScores[node] + (beta * PullStructural(baseScores, node, threshold));
        }
    }

    // Which remote candidates can still change the result. The base top k is always kept: its items report their
    // exact S. Any other node matters only as a flipped item: among the top k by S, and among the first m non-base
    // nodes by S (DualPathwaySelector takes the first m non-base nodes of the top k by S). The k-th best S is at least
    // the k-th best lower bound, and the m-th best non-base S at least the m-th best non-base lower bound; a node whose
    // bound on S is below either cannot be flipped, and its S changes nothing else: every node ranked above a flipped
    // node by S is a base item or an earlier flipped node, whose S are exact here.
    private void KeepRemoteThatMayReach(ReadOnlySpan<float> baseScores, float kthBase, float beta)
    {
        var k = _algorithm.TopK;
        if (_remote.Count == 0 || baseScores.Length <= k)
        {
            return;
        }

        // The upper half of the selection scratch is free until DualPathwaySelector.Complete fills it.
        var top = _scratch.AsSpan(k, k);
        var lower = _lowerScores.AsSpan(0, baseScores.Length);
        var kthLower = TopK.Select(lower, k, top) == k ? top[k - 1].Score : float.NegativeInfinity;
        var needed = Math.Max(kthLower, MthBestNonBaseLower(baseScores, lower, kthBase));
        var kept = 0;
        for (var r = 0; r < _remote.Count; r++)
        {
            var node = _remote[r];
            var own = baseScores[node];
            if (own >= kthBase || MayReach(own, _remotePullable[r], beta, needed))
            {
                _remote[kept] = node;
                _remotePullable[kept] = _remotePullable[r];
                kept++;
            }
        }

        _remote.RemoveRange(kept, _remote.Count - kept);
        _remotePullable.RemoveRange(kept, _remotePullable.Count - kept);
    }

    // The m-th best lower bound among nodes below the k-th base score (nodes tied with it count as base here, which
    // only lowers the result); +∞ when no node is flipped at all (m = 0), −∞ when fewer than m such nodes exist.
    private float MthBestNonBaseLower(ReadOnlySpan<float> baseScores, ReadOnlySpan<float> lower, float kthBase)
    {
        var m = _algorithm.MaxFlipped;
        if (m == 0)
        {
            return float.PositiveInfinity;
        }

        Span<float> best = m <= 32 ? stackalloc float[m] : new float[m];
        best.Fill(float.NegativeInfinity);
        for (var j = 0; j < baseScores.Length; j++)
        {
            var value = lower[j];
            if (baseScores[j] >= kthBase || !(value > best[m - 1]))
            {
                continue;
            }

            // Insertion into the descending list of the m best so far.
            var position = m - 1;
            while (position > 0 && value > best[position - 1])
            {
                best[position] = best[position - 1];
                position--;
            }

            best[position] = value;
        }

        return best[m - 1];
    }

    // Takes the first round out of _remote: every base-top-k candidate and the m others with the highest bounds (the
    // likeliest flipped items, whose exact S make the second round small).
    private int[] SplitFirstRound(ReadOnlySpan<float> baseScores, float kthBase, float beta)
    {
        var m = _algorithm.MaxFlipped;
        var others = new List<ScoredIndex>(_remote.Count);
        var first = new List<int>(_algorithm.TopK + m);
        for (var r = 0; r < _remote.Count; r++)
        {
            var node = _remote[r];
            var own = baseScores[node];
            if (own >= kthBase)
            {
                first.Add(node);
            }
            else
            {
                others.Add(new ScoredIndex(r, own + (beta * _remotePullable[r])));
            }
        }

        if (others.Count <= m)
        {
            first.AddRange(others.Select(o => _remote[o.Index]));
            _remote.Clear();
            _remotePullable.Clear();
            return [.. first];
        }

        others.Sort(static (a, b) => ScoredIndex.RanksBefore(a, b) ? -1 : ScoredIndex.RanksBefore(b, a) ? 1 : 0);
        var rest = new List<int>(others.Count - m);
        var restPullable = new List<float>(others.Count - m);
        for (var o = 0; o < others.Count; o++)
        {
            var r = others[o].Index;
            if (o < m)
            {
                first.Add(_remote[r]);
            }
            else
            {
                rest.Add(_remote[r]);
                restPullable.Add(_remotePullable[r]);
            }
        }

        _remote.Clear();
        _remote.AddRange(rest);
        _remotePullable.Clear();
        _remotePullable.AddRange(restPullable);
        return [.. first];
    }

    // One concurrent fan-out; a node that has not yet applied the last update the graph sent it answers "not yet"
    // and is asked again, so a one-way update still in flight is never skipped.
    private async Task<PullReply[]> PullAsync(int[] candidates, SpreadWave wave)
    {
        var replies = new PullReply[candidates.Length];
        var pending = new int[candidates.Length];
        for (var c = 0; c < pending.Length; c++)
        {
            pending[c] = c;
        }

        var pendingCount = pending.Length;
        for (var attempt = 0; pendingCount > 0; attempt++)
        {
            if (attempt > options.SpreadRetries)
            {
                throw new TimeoutException($"Graph {_key}: {pendingCount} nodes did not apply their last Hebbian update in time.");
            }

            if (attempt > 0)
            {
                // A one-way update is still queued behind its activation: give it a moment, then ask again.
                await Task.Delay(1);
            }

            var calls = new Task<PullReply?>[pendingCount];
            for (var p = 0; p < pendingCount; p++)
            {
                var node = candidates[pending[p]];
                calls[p] = NodeGrain(node).Pull(wave, _lastReinforcementOf[node]);
            }

            var answers = await Task.WhenAll(calls);
            var stillPending = 0;
            for (var p = 0; p < pendingCount; p++)
            {
                if (answers[p] is { } reply)
                {
                    replies[pending[p]] = reply;
                }
                else
                {
                    pending[stillPending++] = pending[p];
                }
            }

            pendingCount = stillPending;
        }

        return replies;
    }

    // Approximate mode: ask only the nodes with the highest bounds; the others keep their structural pull (a lower
    // bound of their S: their learned weights are left out).
    private void CapFanOut(ReadOnlySpan<float> own, int cap, float beta, float threshold)
    {
        var bounds = new ScoredIndex[_remote.Count];
        for (var r = 0; r < _remote.Count; r++)
        {
            var node = _remote[r];
            var pullable = PullStructural(own, node, threshold) + _learnedEdges.LearnedPull(node, own, threshold, Graph.Step, BoundSlack);
            bounds[r] = new ScoredIndex(node, own[node] + (beta * pullable));
        }

        Array.Sort(bounds, static (a, b) => ScoredIndex.RanksBefore(a, b) ? -1 : ScoredIndex.RanksBefore(b, a) ? 1 : 0);
        _remote.Clear();
        _remotePullable.Clear();
        for (var r = 0; r < bounds.Length; r++)
        {
            var node = bounds[r].Index;
            if (r < cap)
            {
                _remote.Add(node);
            }
            else
            {
                _spreadScores[node] = own[node] + (beta * PullStructural(own, node, threshold));
            }
        }
    }

    private static bool MayReach(float own, float pullable, float beta, float kthBase) =>
        own + (beta * pullable * BoundSlack) >= kthBase;

    // EdgeSet.Pull for a node whose learned edges carry nothing in this wave: Σ over seeds of S_base·min(1, s + 0),
    // ascending by neighbour (learned-only edges to seeds are absent or read as 0, so they add no term either).
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

    // A node can pull at most Σ_{structural i, S_base(i) > θ} S_base(i)·s_ij + Σ_{learned i, S_base(i) > θ} S_base(i)·l̂_ij,
    // because every weight is at most its structural part plus its learned part, and l̂ bounds the learned part; the
    // learned sum is also at most max_seed·L̂_j (the learned-degree bound). A node whose S_base + β·that bound is below
    // the k-th best base score cannot enter the top k by S, so it is not computed, as the core leaves it out (a
    // superset of the core's candidates is still exact). Candidates whose learned sum is 0 get their exact S here;
    // the others are left in _remote. Returns how many were computed here.
    private int FindCandidates(ReadOnlySpan<float> baseScores, float kthBase, float beta, float threshold)
    {
        _remote.Clear();
        _remotePullable.Clear();
        var maxSeed = TensorPrimitives.Max(baseScores);
        if (!(maxSeed > threshold))
        {
            return 0;
        }

        EnsureStructuralCeilings();
        var local = 0;
        var seedCeiling = Math.Max(0f, maxSeed);
        for (var j = 0; j < baseScores.Length; j++)
        {
            var own = baseScores[j];
            if (float.IsNegativeInfinity(own))
            {
                continue;
            }

            // The coarsest bound first (no edge walk): it is at least the one below, so it rules out only nodes the
            // one below would rule out too.
            var stored = _learnedBounds[j];
            var degree = stored > 0f ? _learnedEdges.DecayDegree(stored, _learnedBoundSteps[j], Graph.Step) : 0f;
            if (!MayReach(own, (seedCeiling * _structuralCeilings[j]) + (seedCeiling * degree), beta, kthBase))
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

            // First with the best seed anywhere (cheap), then with the node's own learned neighbours.
            if (!MayReach(own, structural + (seedCeiling * degree), beta, kthBase))
            {
                continue;
            }

            var learned = stored > 0f ? _learnedEdges.LearnedPull(j, baseScores, threshold, Graph.Step, BoundSlack) : 0f;
            if (learned > 0f)
            {
                var pullable = structural + Math.Min(learned, seedCeiling * degree);
                if (MayReach(own, pullable, beta, kthBase))
                {
                    _remote.Add(j);
                    _remotePullable.Add(pullable);
                }
            }
            else if (structural > 0f && MayReach(own, structural, beta, kthBase))
            {
                _spreadScores[j] = own + (beta * PullStructural(baseScores, j, threshold));
                local++;
            }
        }

        return local;
    }

    private void EnsureStructuralCeilings()
    {
        if (!_structuralCeilingsStale && _structuralCeilings.Length >= _structural.Count)
        {
            return;
        }

        _structuralCeilings = new float[_structural.Count];
        for (var j = 0; j < _structural.Count; j++)
        {
            var sum = 0d;
            foreach (var edge in _structural[j])
            {
                sum += Math.Max(0f, edge.Weight);
            }

            // A relative margin far above the rounding of a float sum of this many terms (and of the product with the
            // seed), so the ceiling stays above the structural pull FindCandidates computes in float.
            _structuralCeilings[j] = (float)(sum * (1.001 + (1e-6 * _structural[j].Count)));
        }

        _structuralCeilingsStale = false;
    }

    // Each update adds at most η per co-activated partner to a node's learned degree ((1 − λ)·w + η ≤ w + η), so the
    // degree bound stays an upper bound until the node reports its exact learned degree again (read at a later step
    // it decays with the weights: a node not asked for a while no longer passes the coarse bound on its old degree);
    // the per-edge bounds replay the update itself.
    private void GrowLearnedBounds(long[] coactivated, long step)
    {
        if (coactivated.Length < 2 || _algorithm.LearningRate == 0f)
        {
            return;
        }

        var growth = _algorithm.LearningRate * (coactivated.Length - 1) * BoundSlack;
        foreach (var node in coactivated)
        {
            var j = (int)node;
            _learnedBounds[j] = _learnedEdges.DecayDegree(_learnedBounds[j], _learnedBoundSteps[j], step) + growth;
            _learnedBoundSteps[j] = step;
        }

        _learnedEdges.Reinforce(coactivated, step);
    }
}
