using HelaMem.Core.Graph;
using HelaMem.Core.Retrieval;

namespace HelaMem.Core.Consolidation;

/// <summary>Hub detection (D(v_i) = Σ_j w_ij &gt; δ_hub) and a hub's consolidation cluster.</summary>
public static class HubDetector
{
    /// <summary>The nodes whose degree exceeds <paramref name="threshold"/>, in index order; <paramref name="isActive"/> filters archived nodes.</summary>
    public static List<int> FindHubs(ReadOnlySpan<EdgeSet?> edges, long step, in HebbianParameters parameters, float threshold, Func<int, bool> isActive)
    {
        ArgumentNullException.ThrowIfNull(isActive);
        var hubs = new List<int>();
        for (var i = 0; i < edges.Length; i++)
        {
            if (edges[i] is { } nodeEdges && isActive(i) && nodeEdges.Degree(step, parameters) > threshold)
            {
                hubs.Add(i);
            }
        }

        return hubs;
    }

    /// <summary>
    /// The hub and its neighbours whose edge weight is at least <paramref name="minWeight"/>, strongest first
    /// (ties: lower index), at most <paramref name="maxSize"/> nodes including the hub.
    /// </summary>
    public static List<int> Cluster(int hub, EdgeSet hubEdges, long step, in HebbianParameters parameters, float minWeight, int maxSize, Func<int, bool> isActive)
    {
        ArgumentNullException.ThrowIfNull(hubEdges);
        ArgumentNullException.ThrowIfNull(isActive);
        var neighbours = new List<ScoredIndex>(hubEdges.Count);
        for (var position = 0; position < hubEdges.Count; position++)
        {
            var neighbour = hubEdges.NeighbourAt(position);
            var weight = hubEdges.WeightAt(position, step, parameters);
            if (weight >= minWeight && isActive(neighbour))
            {
                neighbours.Add(new ScoredIndex(neighbour, weight));
            }
        }

        neighbours.Sort(static (a, b) => ScoredIndex.RanksBefore(a, b) ? -1 : ScoredIndex.RanksBefore(b, a) ? 1 : 0);
        var cluster = new List<int>(Math.Min(maxSize, neighbours.Count + 1)) { hub };
        foreach (var neighbour in neighbours)
        {
            if (cluster.Count >= maxSize)
            {
                break;
            }

            cluster.Add(neighbour.Index);
        }

        return cluster;
    }
}
