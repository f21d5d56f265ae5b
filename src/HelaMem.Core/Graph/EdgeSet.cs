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
/// neighbour index (binary search; deterministic iteration), in parallel arrays (no object per edge).
/// </remarks>
public sealed class EdgeSet
{
    private int[] _neighbours = [];
    private float[] _structural = [];
    private float[] _learned = [];
    private long[] _learnedStep = [];

    /// <summary>Stored edges, including learned ones that have decayed below the prune threshold but were not yet pruned.</summary>
    public int Count { get; private set; }

    /// <summary>The neighbour index of stored edge <paramref name="position"/> (0 … Count − 1, ascending).</summary>
    public int NeighbourAt(int position) => _neighbours[CheckPosition(position)];

    /// <summary>The weight of stored edge <paramref name="position"/> after step <paramref name="step"/>.</summary>
    public float WeightAt(int position, long step, in HebbianParameters parameters)
    {
        CheckPosition(position);
        return Combine(_structural[position], parameters.Effective(_learned[position], _learnedStep[position], step));
    }

    /// <summary>The learned part of stored edge <paramref name="position"/> after step <paramref name="step"/>.</summary>
    public float LearnedWeightAt(int position, long step, in HebbianParameters parameters)
    {
        CheckPosition(position);
        return parameters.Effective(_learned[position], _learnedStep[position], step);
    }

    /// <summary>Lays down (or raises) the structural weight of the edge to <paramref name="neighbour"/>, capped at 1.</summary>
    public void AddStructural(int neighbour, float weight)
    {
        if (!(weight >= 0 && weight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "An edge weight is between 0 and 1.");
        }

        var position = FindOrInsert(neighbour);
        _structural[position] = Math.Min(1f, Math.Max(_structural[position], weight));
    }

    /// <summary>The weight of the edge to <paramref name="neighbour"/> after step <paramref name="step"/> (0 when absent).</summary>
    public float Weight(int neighbour, long step, in HebbianParameters parameters)
    {
        var position = Array.BinarySearch(_neighbours, 0, Count, neighbour);
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

        var position = FindOrInsert(neighbour);
        if (step < _learnedStep[position])
        {
            throw new InvalidOperationException($"Edge to {neighbour} was updated at step {_learnedStep[position]}; step {step} is in its past.");
        }

        var room = 1f - _structural[position];
        if (_learnedStep[position] == step)
        {
            // A second update within the same step: the step's decay was already applied.
            _learned[position] = Math.Min(room, _learned[position] + parameters.LearningRate);
            return;
        }

        var previous = parameters.Effective(_learned[position], _learnedStep[position], step - 1);
        var decayed = parameters.Decays ? previous * parameters.DecayFactor : previous;
        _learned[position] = Math.Min(room, decayed + parameters.LearningRate);
        _learnedStep[position] = step;
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
            sum += parameters.Effective(_learned[i], _learnedStep[i], step);
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
        for (var i = 0; i < Count; i++)
        {
            var weight = WeightAt(i, step, parameters);
            if (weight > 0f)
            {
                scores[_neighbours[i]] += factor * weight;
            }
        }
    }

    /// <summary>Removes edges with no structural part whose learned part has decayed away; returns how many.</summary>
    public int Prune(long step, in HebbianParameters parameters)
    {
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            var learned = parameters.Effective(_learned[i], _learnedStep[i], step);
            if (_structural[i] == 0f && learned == 0f)
            {
                continue;
            }

            _neighbours[kept] = _neighbours[i];
            _structural[kept] = _structural[i];
            _learned[kept] = learned == 0f ? 0f : _learned[i];
            _learnedStep[kept] = _learnedStep[i];
            kept++;
        }

        var removed = Count - kept;
        Count = kept;
        return removed;
    }

    /// <summary>Removes the edge to <paramref name="neighbour"/> (hard delete of that node); returns false if absent.</summary>
    public bool Remove(int neighbour)
    {
        var position = Array.BinarySearch(_neighbours, 0, Count, neighbour);
        if (position < 0)
        {
            return false;
        }

        var tail = Count - position - 1;
        Array.Copy(_neighbours, position + 1, _neighbours, position, tail);
        Array.Copy(_structural, position + 1, _structural, position, tail);
        Array.Copy(_learned, position + 1, _learned, position, tail);
        Array.Copy(_learnedStep, position + 1, _learnedStep, position, tail);
        Count--;
        return true;
    }

    private static float Combine(float structural, float learned) => Math.Min(1f, structural + learned);

    private int FindOrInsert(int neighbour)
    {
        if (neighbour < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(neighbour), neighbour, "Node indices are not negative.");
        }

        var position = Array.BinarySearch(_neighbours, 0, Count, neighbour);
        if (position >= 0)
        {
            return position;
        }

        position = ~position;
        if (Count == _neighbours.Length)
        {
            var capacity = Math.Max(4, Count * 2);
            Array.Resize(ref _neighbours, capacity);
            Array.Resize(ref _structural, capacity);
            Array.Resize(ref _learned, capacity);
            Array.Resize(ref _learnedStep, capacity);
        }

        var tail = Count - position;
        Array.Copy(_neighbours, position, _neighbours, position + 1, tail);
        Array.Copy(_structural, position, _structural, position + 1, tail);
        Array.Copy(_learned, position, _learned, position + 1, tail);
        Array.Copy(_learnedStep, position, _learnedStep, position + 1, tail);
        _neighbours[position] = neighbour;
        _structural[position] = 0f;
        _learned[position] = 0f;
        _learnedStep[position] = 0;
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
}
