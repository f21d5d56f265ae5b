using System.Globalization;

namespace HelaMem.Abstractions.Keys;

/// <summary>
/// The key of one memory node: <c>tenant/user/node</c>, where node is the node's index in its graph (dense, in
/// insertion order, never reused, so an id names the same memory for the graph's whole life).
/// </summary>
public readonly record struct NodeKey
{
    /// <summary>Creates a key; throws <see cref="ArgumentOutOfRangeException"/> for a negative node id.</summary>
    public NodeKey(GraphKey graph, long node)
    {
        if (graph.Tenant is null)
        {
            throw new ArgumentException("The graph key is the default value; create it with new GraphKey(tenant, user).", nameof(graph));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(node);
        Graph = graph;
        Node = node;
    }

    /// <summary>The graph the node belongs to.</summary>
    public GraphKey Graph { get; }

    /// <summary>The node id within the graph.</summary>
    public long Node { get; }

    /// <summary>Parses <c>tenant/user/node</c>; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static NodeKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        if (slash < 0 || !long.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var node))
        {
            throw new ArgumentException($"'{key}' is not a node key; expected 'tenant/user/node' with a numeric node id.", nameof(key));
        }

        return new NodeKey(GraphKey.Parse(key[..slash]), node);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Graph}/{Node}");
}
