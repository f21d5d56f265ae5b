namespace HelaMem.Runtime;

/// <summary>
/// The stable grain type name stored in <see cref="GrainId.Type"/> (and so in storage and reminder rows).
/// Without it the class name is used, which ties stored data to the class name.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}

/// <summary>Every request to this grain class may interleave with every other one (Orleans' [Reentrant]).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}

/// <summary>Calls to this interface method interleave with any other request (Orleans' [AlwaysInterleave]).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AlwaysInterleaveAttribute : Attribute
{
}

/// <summary>
/// The method does not change the grain's state: read-only requests run together with each other, never with a
/// request that is not read-only (Orleans' [ReadOnly]).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ReadOnlyAttribute : Attribute
{
}

/// <summary>
/// The caller does not wait: the call completes when the request is handed to the runtime, and the grain's
/// result or exception is not returned (Orleans' [OneWay]). The method must return Task or ValueTask.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class OneWayAttribute : Attribute
{
}

/// <summary>
/// Places the grain by the first <see cref="Segments"/> '/'-separated segments of its key instead of the whole
/// key, so that grains sharing that prefix (e.g. every grain of one <c>tenant/user</c> graph) land on one silo.
/// Put it on the grain class (or on a grain interface, which every implementation then inherits).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = false, Inherited = true)]
public sealed class KeyPrefixPlacementAttribute : Attribute
{
    /// <summary>Places by the first <paramref name="segments"/> key segments.</summary>
    public KeyPrefixPlacementAttribute(int segments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 1);
        Segments = segments;
    }

    /// <summary>How many leading key segments form the placement key.</summary>
    public int Segments { get; }
}

/// <summary>How long an idle activation of this grain class lives before idle collection deactivates it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    /// <summary>Days of idleness.</summary>
    public double Days { get; init; }

    /// <summary>Hours of idleness.</summary>
    public double Hours { get; init; }

    /// <summary>Minutes of idleness.</summary>
    public double Minutes { get; init; }

    /// <summary>Seconds of idleness (fractions allowed, for tests).</summary>
    public double Seconds { get; init; }

    /// <summary>The age limit as a time span.</summary>
    public TimeSpan Amount => TimeSpan.FromDays(Days) + TimeSpan.FromHours(Hours) + TimeSpan.FromMinutes(Minutes) + TimeSpan.FromSeconds(Seconds);
}
