using System.Globalization;

namespace HelaMem.Abstractions.Keys;

/// <summary>
/// The key of one memory graph: <c>tenant/owner</c>, where owner is a <see cref="MemoryOwner"/>'s segment: the user
/// id for a user (<c>acme/alice</c>, as every key written before agents and runs existed), <c>agent~{id}</c> for an
/// agent (<c>acme/agent~bot</c>) and <c>run~{id}</c> for a run. It is the key of the user-graph, consolidation and
/// semantic-memory grains and the prefix (and placement key) of every memory-node grain of that graph, so every grain
/// of one graph carries its tenant and lands on one silo.
/// </summary>
public readonly record struct GraphKey
{
    /// <summary>
    /// Creates a key from an owner segment (a user id, <c>agent~{id}</c> or <c>run~{id}</c>); throws
    /// <see cref="ArgumentException"/> for an invalid tenant or segment.
    /// </summary>
    public GraphKey(string tenant, string user)
        : this(tenant, MemoryOwner.Parse(user ?? throw new ArgumentException("The user id must not be empty.", nameof(user))))
    {
    }

    /// <summary>Creates the key of <paramref name="owner"/>'s graph; throws <see cref="ArgumentException"/> for an invalid tenant.</summary>
    public GraphKey(string tenant, MemoryOwner owner)
    {
        if (owner.Id is null)
        {
            throw new ArgumentException("The owner is the default value; create it with MemoryOwner.User, Agent or Run.", nameof(owner));
        }

        Tenant = KeySegment.Validate(tenant, "tenant");
        Owner = owner;
        User = owner.Segment;
    }

    /// <summary>The tenant id.</summary>
    public string Tenant { get; }

    /// <summary>The graph's owner: a user, an agent or a run.</summary>
    public MemoryOwner Owner { get; }

    /// <summary>
    /// The owner's key segment, unique within the tenant: the user id for a user, <c>agent~{id}</c> or <c>run~{id}</c>
    /// otherwise (what the tenant's owner list holds).
    /// </summary>
    public string User { get; }

    /// <summary>Parses <c>tenant/owner</c>; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static GraphKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || key.IndexOf('/', slash + 1) >= 0)
        {
            throw new ArgumentException($"'{key}' is not a graph key; expected 'tenant/user', 'tenant/agent~id' or 'tenant/run~id'.", nameof(key));
        }

        return new GraphKey(key[..slash], key[(slash + 1)..]);
    }

    /// <summary>The key of node <paramref name="node"/> of this graph.</summary>
    public NodeKey Node(long node) => new(this, node);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Tenant}/{User}");
}
