using HelaMem.Core;
using HelaMem.Core.Graph;
using HelaMem.Grains.State;

namespace HelaMem.Grains.Nodes;

/// <summary>
/// A node's edges: the core's <see cref="EdgeSet"/> (lazy decay, reads) kept in step with the stored records. The
/// edge set does not expose its raw learned values, so every change is mirrored into the records, which are what
/// is persisted and what rebuilds the edge set on activation (bit for bit).
/// </summary>
internal sealed class NodeEdges
{
    private readonly List<EdgeRecord> _records;
    private readonly HebbianParameters _parameters;

    public NodeEdges(List<EdgeRecord> records, HebbianParameters parameters)
    {
        _records = records;
        _parameters = parameters;
        foreach (var record in records)
        {
            if (record.Structural > 0f)
            {
                Set.AddStructural(record.Neighbour, record.Structural);
            }

            if (record.Learned > 0f)
            {
                // A fresh edge reinforced once under the additive rule with η = the stored value holds exactly that
                // value at that step: the way to restore a learned weight through the edge set's public surface.
                Set.Reinforce(record.Neighbour, record.LearnedStep, new HebbianParameters(HebbianRule.Additive, record.Learned, 1f, 0f));
            }
        }
    }

    /// <summary>The edge set the reads go through.</summary>
    public EdgeSet Set { get; } = new();

    public HebbianParameters Parameters => _parameters;

    public void AddStructural(int neighbour, float weight)
    {
        Set.AddStructural(neighbour, weight);
        var record = Find(neighbour);
        record.Structural = Math.Min(1f, Math.Max(record.Structural, weight));
    }

    public void Reinforce(int neighbour, long step)
    {
        Set.Reinforce(neighbour, step, _parameters);
        var record = Find(neighbour);

        // Read back at its own step: the stored value itself (zero only when it is below the prune threshold,
        // where it reads as absent forever, exactly like the edge set's own value).
        var position = PositionInSet(neighbour);
        record.Learned = Set.LearnedWeightAt(position, step, _parameters);
        record.LearnedStep = step;
    }

    /// <summary>The structural weight of the edge to <paramref name="neighbour"/> (0 when none).</summary>
    public float StructuralOf(int neighbour)
    {
        int low = 0, high = _records.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var value = _records[middle].Neighbour;
            if (value == neighbour)
            {
                return _records[middle].Structural;
            }

            if (value < neighbour)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return 0f;
    }

    private int PositionInSet(int neighbour)
    {
        int low = 0, high = Set.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var value = Set.NeighbourAt(middle);
            if (value == neighbour)
            {
                return middle;
            }

            if (value < neighbour)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        throw new InvalidOperationException($"Edge to {neighbour} is missing from the edge set.");
    }

    private EdgeRecord Find(int neighbour)
    {
        int low = 0, high = _records.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var value = _records[middle].Neighbour;
            if (value == neighbour)
            {
                return _records[middle];
            }

            if (value < neighbour)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        var record = new EdgeRecord { Neighbour = neighbour };
        _records.Insert(low, record);
        return record;
    }
}
