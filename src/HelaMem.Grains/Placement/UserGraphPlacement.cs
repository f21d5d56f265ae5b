using Orleans.Placement;
using Orleans.Runtime;

namespace HelaMem.Grains.Placement;

/// <summary>
/// Places every grain of one user graph (user graph, memory nodes, consolidation, semantic memory, and any grain
/// keyed <c>tenant/user[/...]</c> that carries <see cref="UserGraphPlacementAttribute"/>) on the same silo, chosen by
/// rendezvous hashing of the <c>tenant/user</c> prefix of the grain key over the compatible silos. A spreading wave
/// then stays inside one process, and a silo joining or leaving moves only the graphs whose highest score changes.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("helamem.UserGraphPlacementStrategy")]
public sealed class UserGraphPlacementStrategy : PlacementStrategy
{
    /// <summary>The one instance the attribute and the director share.</summary>
    public static UserGraphPlacementStrategy Instance { get; } = new();
}

/// <summary>Marks a grain class keyed <c>tenant/user[/...]</c> to be placed with the rest of that user's graph.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class UserGraphPlacementAttribute() : PlacementAttribute(UserGraphPlacementStrategy.Instance);
