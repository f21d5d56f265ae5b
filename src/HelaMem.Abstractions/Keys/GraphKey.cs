using System.Globalization;

namespace HelaMem.Abstractions.Keys;

/// <summary>
/// The key of one user's memory graph: <c>tenant/user</c>. It is the key of the user-graph, consolidation and
/// semantic-memory grains and the prefix (and placement key) of every memory-node grain of that user, so every
/// grain of one graph carries its tenant and lands on one silo.
/// </summary>
public readonly record struct GraphKey
{
    /// <summary>Creates a key; throws <see cref="ArgumentException"/> for an invalid tenant or user id.</summary>
    public GraphKey(string tenant, string user)
    {
        Tenant = KeySegment.Validate(tenant, "tenant");
        User = KeySegment.Validate(user, "user");
    }

    /// <summary>The tenant id.</summary>
    public string Tenant { get; }

    /// <summary>The user id, unique within the tenant.</summary>
    public string User { get; }

    /// <summary>Parses <c>tenant/user</c>; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static GraphKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || key.IndexOf('/', slash + 1) >= 0)
        {
            throw new ArgumentException($"'{key}' is not a graph key; expected 'tenant/user'.", nameof(key));
        }

        return new GraphKey(key[..slash], key[(slash + 1)..]);
    }

    /// <summary>The key of node <paramref name="node"/> of this graph.</summary>
    public NodeKey Node(long node) => new(this, node);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Tenant}/{User}");
}
