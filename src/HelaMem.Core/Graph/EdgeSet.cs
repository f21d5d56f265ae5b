namespace HelaMem.Core.Graph;

/// <summary>
/// The outgoing edges of one memory node, as the memory-node grain owns them. An edge to neighbour j has a
/// structural part (the temporal edge laid down at encoding, fixed) and a learned part (Hebbian, stored with
/// the step of its last update and decayed lazily on read). Its weight is min(1, structural + learned).
/// </summary>
/// <remarks>
/// Lazy decay equals eager decay: the learned part stored at step s reads as w·(1 − λ)^(t − s) after step t
/// and as absent once that falls below the prune threshold, exactly what decaying every edge at every step
/// and pruning would give, but a reinforcement touches only the co-activated pairs. Edges are kept sorted by
/// neighbour index (binary search; deterministic iteration) in one array of structs: a spreading wave visits
/// every seed's edges, and one contiguous array per node is one cache miss instead of four.
/// </remarks>
public sealed class EdgeSet
{
    private Edge[] _edges = [];

    /// <summary>Stored edges, including learned ones that have decayed below the prune threshold but were not yet pruned.</summary>
    public int Count { get; private set; }

    /// <summary>The neighbour index of stored edge <paramref name="position"/> (0 … Count − 1, ascending).</summary>
    public int NeighbourAt(int position) => _edges[CheckPosition(position)].Neighbour;

    /// <summary>The weight of stored edge <paramref name="position"/> after step <paramref name="step"/>.</summary>
    public float WeightAt(int position, long step, in HebbianParameters parameters)
    {
        ref readonly var edge = ref _edges[CheckPosition(position)];
        return Combine(edge.Structural, parameters.Effective(edge.Learned, edge.LearnedStep, step));
    }

    /// <summary>The learned part of stored edge <paramref name="position"/> after step <paramref name="step"/>.</summary>
    public float LearnedWeightAt(int position, long step, in HebbianParameters parameters)
    {
        ref readonly var edge = ref _edges[CheckPosition(position)];
        return parameters.Effective(edge.Learned, edge.LearnedStep, step);
    }

    /// <summary>Lays down (or raises) the structural weight of the edge to <paramref name="neighbour"/>, capped at 1.</summary>
    public void AddStructural(int neighbour, float weight)
    {
        if (!(weight >= 0 && weight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "An edge weight is between 0 and 1.");
        }

        // FindOrInsert may grow the array: take the reference only after it returns.
        var position = FindOrInsert(neighbour);
        ref var edge = ref _edges[position];
        edge.Structural = Math.Min(1f, Math.Max(edge.Structural, weight));
    }

    /// <summary>The weight of the edge to <paramref name="neighbour"/> after step <paramref name="step"/> (0 when absent).</summary>
    public float Weight(int neighbour, long step, in HebbianParameters parameters)
    {
        var position = Find(neighbour);
        return position < 0 ? 0f : WeightAt(position, step, parameters);
    }

    /// <summary>
    /// One Hebbian update at step <paramref name="step"/> of the edge to <paramref name="neighbour"/>:
    /// the learned part becomes (1 − λ)·w + η under the paper's rule (w as it stood after step − 1) or w + η
    /// under the additive rule, capped so that the whole weight stays ≤ 1.
    /// </summary>
    public void Reinforce(int neighbour, long step, in HebbianParameters parameters)
    {
        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Reinforcement steps start at 1.");
        }

        // FindOrInsert may grow the array: take the reference only after it returns.
        var position = FindOrInsert(neighbour);
        ref var edge = ref _edges[position];
        if (step < edge.LearnedStep)
        {
            throw new InvalidOperationException($"Edge to {neighbour} was updated at step {edge.LearnedStep}; step {step} is in its past.");
        }

        var room = 1f - edge.Structural;
        if (edge.LearnedStep == step)
        {
            // A second update within the same step: the step's decay was already applied.
            edge.Learned = Math.Min(room, edge.Learned + parameters.LearningRate);
            return;
        }

        var previous = parameters.Effective(edge.Learned, edge.LearnedStep, step - 1);
        var decayed = parameters.Decays ? previous * parameters.DecayFactor : previous;
        edge.Learned = Math.Min(room, decayed + parameters.LearningRate);
        edge.LearnedStep = step;
    }

    /// <summary>D(v) = Σ_j w_vj after step <paramref name="step"/>.</summary>
    public float Degree(long step, in HebbianParameters parameters)
    {
        var sum = 0f;
        for (var i = 0; i < Count; i++)
        {
            sum += WeightAt(i, step, parameters);
        }

        return sum;
    }

    /// <summary>Σ_j of the learned parts only (what forgetting calls connectivity).</summary>
    public float LearnedDegree(long step, in HebbianParameters parameters)
    {
        var sum = 0f;
        for (var i = 0; i < Count; i++)
        {
            sum += parameters.Effective(_edges[i].Learned, _edges[i].LearnedStep, step);
        }

        return sum;
    }

    /// <summary>
    /// Spreading from this node: adds <paramref name="seedScore"/>·w_ij·β to <paramref name="scores"/>[j] for
    /// every neighbour j. The caller decides whether this node is a seed (base score above θ).
    /// </summary>
    public void Spread(float seedScore, float beta, long step, in HebbianParameters parameters, Span<float> scores)
    {
        var factor = seedScore * beta;
        var edges = _edges.AsSpan(0, Count);
        foreach (ref readonly var edge in edges)
        {
            var weight = Combine(edge.Structural, parameters.Effective(edge.Learned, edge.LearnedStep, step));
            if (weight > 0f)
            {
                scores[edge.Neighbour] += factor * weight;
            }
        }
    }

    /// <summary>
    /// Σ_i S_base(v_i)·w_ji over this node's neighbours i whose base score exceeds <paramref name="threshold"/>:
    /// the spreading input of this node, pulled through its own edges (edges are symmetric).
    /// </summary>
    public float Pull(ReadOnlySpan<float> baseScores, float threshold, long step, in HebbianParameters parameters)
    {
        var sum = 0f;
        var edges = _edges.AsSpan(0, Count);
        foreach (ref readonly var edge in edges)
        {
            // A neighbour beyond the scores is one its graph never committed (a node grain written by an ingest that
            // was cut off before the graph's commit): no activation comes from it. In memory this never happens.
            if ((uint)edge.Neighbour >= (uint)baseScores.Length)
            {
                continue;
            }

            var seed = baseScores[edge.Neighbour];
            if (seed > threshold)
            {
                sum += seed * Combine(edge.Structural, parameters.Effective(edge.Learned, edge.LearnedStep, step));
            }
        }

        return sum;
    }

    /// <summary>Removes edges with no structural part whose learned part has decayed away; returns how many.</summary>
    public int Prune(long step, in HebbianParameters parameters)
    {
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            var edge = _edges[i];
            var learned = parameters.Effective(edge.Learned, edge.LearnedStep, step);
            if (edge.Structural == 0f && learned == 0f)
            {
                continue;
            }

            if (learned == 0f)
            {
                edge.Learned = 0f;
            }

            _edges[kept++] = edge;
        }

        var removed = Count - kept;
        Count = kept;
        return removed;
    }

    /// <summary>Removes the edge to <paramref name="neighbour"/> (hard delete of that node); returns false if absent.</summary>
    public bool Remove(int neighbour)
    {
        var position = Find(neighbour);
        if (position < 0)
        {
            return false;
        }

        Array.Copy(_edges, position + 1, _edges, position, Count - position - 1);
        Count--;
        return true;
    }

    private static float Combine(float structural, float learned) => Math.Min(1f, structural + learned);

    private int Find(int neighbour)
    {
        var low = 0;
        var high = Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var candidate = _edges[middle].Neighbour;
            if (candidate == neighbour)
            {
                return middle;
            }

            if (candidate < neighbour)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private int FindOrInsert(int neighbour)
    {
        if (neighbour < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(neighbour), neighbour, "Node indices are not negative.");
        }

        var position = Find(neighbour);
        if (position >= 0)
        {
            return position;
        }

        position = ~position;
        if (Count == _edges.Length)
        {
            Array.Resize(ref _edges, Math.Max(4, Count * 2));
        }

        Array.Copy(_edges, position, _edges, position + 1, Count - position);
        _edges[position] = new Edge { Neighbour = neighbour };
        Count++;
        return position;
    }

    private int CheckPosition(int position)
    {
        if ((uint)position >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The edge set holds {Count} edges.");
        }

        return position;
    }

    // One edge: 20 bytes of payload, kept together for the spreading loop.
    private struct Edge
    {
        public int Neighbour;
        public float Structural;
        public float Learned;
        public long LearnedStep;
    }
}
