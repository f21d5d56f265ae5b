using HelaMem.Abstractions.Contracts;
using HelaMem.Core;
using HelaMem.Core.Graph;

namespace HelaMem.Grains.Graph;

/// <summary>
/// The user graph's upper bound of every learned edge weight, per node and neighbour. The graph sends every Hebbian
/// update itself, so it replays each one on its bound with the same float operations as <c>EdgeSet.Reinforce</c>,
/// leaving out only what can lower the true weight (the cap at 1 − structural and the prune cut). Float rounding is
/// monotonic, so a bound never falls below the node's own value. With these bounds the graph knows, without asking
/// the node, whether a node's learned edges can carry any activation in a wave, and how much at most.
/// </summary>
/// <remarks>
/// The bounds hold only while every update reaches the nodes through this graph (the grain contract: nodes are
/// reinforced by their graph). A node's exact learned degree, when it answers a wave, resets its bounds once it
/// reports none.
/// </remarks>
internal sealed class LearnedEdgeBounds
{
    // Far above the rounding of a node's learned degree (a float sum of products with the decay table) for any
    // realistic edge count; an over-estimate only asks a node the exact bound would have ruled out.
    private const float DecayReadSlack = 1.001f;

    private readonly List<NodeBounds?> _nodes = [];
    private readonly float _learningRate;
    private readonly float _decayFactor;
    private readonly float _pruneThreshold;
    private readonly float[]? _decayPowers;

    public LearnedEdgeBounds(HelaMemOptions algorithm)
    {
        _learningRate = algorithm.LearningRate;
        _decayFactor = algorithm.DecayFactor;
        _pruneThreshold = algorithm.PruneThreshold;
        if (algorithm.HebbianRule == HebbianRule.DecayingAverage && algorithm.DecayFactor < 1f)
        {
            _decayPowers = HebbianParameters.BuildDecayPowers(algorithm.DecayFactor, algorithm.PruneThreshold);
        }
    }

    /// <summary>Registers the next node (no learned edges).</summary>
    public void AddNode() => _nodes.Add(null);

    /// <summary>Starts a restored node's bounds from the learned weights it reported at activation.</summary>
    /// <param name="node">The node.</param>
    /// <param name="edges">Its edges as read.</param>
    /// <param name="step">A step at or after every update the node has applied.</param>
    /// <param name="slack">Relative slack for the rounding between the read's step and <paramref name="step"/>.</param>
    public void Restore(int node, IReadOnlyList<EdgeData> edges, long step, float slack)
    {
        NodeBounds? bounds = null;
        foreach (var edge in edges)
        {
            if (edge.LearnedWeight > 0f)
            {
                bounds ??= new NodeBounds();
                bounds.Set((int)edge.Neighbour, new EdgeBound(edge.LearnedWeight * slack, step));
            }
        }

        _nodes[node] = bounds;
    }

    /// <summary>The node reported no learned weight: nothing learned can reach it until its next update.</summary>
    public void Clear(int node) => _nodes[node] = null;

    /// <summary>Replays one Hebbian update of a co-activated set at <paramref name="step"/> (as each member's node does).</summary>
    public void Reinforce(ReadOnlySpan<long> coActivated, long step)
    {
        foreach (var member in coActivated)
        {
            var bounds = _nodes[(int)member] ??= new NodeBounds();
            foreach (var other in coActivated)
            {
                if (other != member)
                {
                    var neighbour = (int)other;
                    bounds.Set(neighbour, Reinforced(bounds.Get(neighbour), step));
                }
            }
        }
    }

    /// <summary>
    /// Bounds the learned part of a wave's pull into <paramref name="node"/>: Σ over its learned neighbours above θ of
    /// S_base·(learned-weight bound) at <paramref name="step"/>. Zero exactly when no learned edge can carry activation:
    /// then the node's pull is its structural pull, term for term.
    /// </summary>
    public float LearnedPull(int node, ReadOnlySpan<float> baseScores, float threshold, long step, float slack)
    {
        if (_nodes[node] is not { } bounds)
        {
            return 0f;
        }

        // A flat walk in insertion order (the order the dictionary this replaced enumerated in, so the same sums):
        // this runs for every node that passes the coarse bound, a few hundred per retrieval.
        var sum = 0f;
        var neighbours = bounds.Neighbours.AsSpan(0, bounds.Count);
        var values = bounds.Bounds.AsSpan(0, bounds.Count);
        for (var p = 0; p < neighbours.Length; p++)
        {
            var seed = baseScores[neighbours[p]];
            if (seed > threshold)
            {
                var weight = At(values[p], step);

                // Below the prune threshold the node reads the weight as absent (0): it carries nothing.
                if (weight * slack >= _pruneThreshold)
                {
                    sum += seed * weight;
                }
            }
        }

        return sum;
    }

    /// <summary>
    /// Reads a node's learned-degree bound <paramref name="degree"/>, valid at <paramref name="fromStep"/> (every learned
    /// weight of the node was last updated at or before it), at the later <paramref name="toStep"/>: without updates
    /// in between every learned weight decays by (1 − λ)^Δ, and so does their sum. The relative margin covers the
    /// float rounding of the node's own sum (a power of the table times a stored weight, summed). Without decay the
    /// bound is returned as it is.
    /// </summary>
    public float DecayDegree(float degree, long fromStep, long toStep)
    {
        if (_decayPowers is not { } powers || toStep <= fromStep || degree == 0f)
        {
            return degree;
        }

        var elapsed = Math.Min(toStep - fromStep, powers.Length - 1);
        return degree * powers[elapsed] * DecayReadSlack;
    }

    // EdgeSet.Reinforce with the cap at 1 instead of 1 − structural and without the prune cut (both only lower the
    // node's weight, and the node never stores a learned part above 1).
    private EdgeBound Reinforced(EdgeBound bound, long step)
    {
        if (bound.Step == step)
        {
            return new EdgeBound(Math.Min(1f, bound.Value + _learningRate), step);
        }

        var previous = At(bound, step - 1);
        var decayed = _decayPowers is null ? previous : previous * _decayFactor;
        return new EdgeBound(Math.Min(1f, decayed + _learningRate), step);
    }

    // The bound read after step (lazy decay with the same table of powers as HebbianParameters.Effective).
    private float At(EdgeBound bound, long step)
    {
        if (_decayPowers is not { } powers || step <= bound.Step || bound.Value == 0f)
        {
            return bound.Value;
        }

        var elapsed = step - bound.Step;
        return elapsed < powers.Length ? bound.Value * powers[elapsed] : 0f;
    }

    private readonly record struct EdgeBound(float Value, long Step);

    // One node's bounds: flat arrays in insertion order (walked by LearnedPull) and a position index (for updates).
    private sealed class NodeBounds
    {
        private readonly Dictionary<int, int> _positions = [];

        private int[] _neighbours = new int[8];
        private EdgeBound[] _bounds = new EdgeBound[8];

        public int[] Neighbours => _neighbours;

        public EdgeBound[] Bounds => _bounds;

        public int Count { get; private set; }

        public EdgeBound Get(int neighbour) => _positions.TryGetValue(neighbour, out var position) ? _bounds[position] : default;

        public void Set(int neighbour, EdgeBound bound)
        {
            if (_positions.TryGetValue(neighbour, out var position))
            {
                _bounds[position] = bound;
                return;
            }

            if (Count == _neighbours.Length)
            {
                Array.Resize(ref _neighbours, 2 * Count);
                Array.Resize(ref _bounds, 2 * Count);
            }

            _positions.Add(neighbour, Count);
            _neighbours[Count] = neighbour;
            _bounds[Count] = bound;
            Count++;
        }
    }
}
