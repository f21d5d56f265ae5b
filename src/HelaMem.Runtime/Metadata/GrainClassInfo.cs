using System.Reflection;

namespace HelaMem.Runtime.Metadata;

/// <summary>What the runtime knows about one grain class, read once from its attributes.</summary>
internal sealed class GrainClassInfo
{
    public GrainClassInfo(Type classType)
    {
        ClassType = classType;
        GrainType = classType.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? classType.Name;
        IsReentrant = classType.GetCustomAttribute<ReentrantAttribute>() is not null;
        var ageLimit = classType.GetCustomAttribute<CollectionAgeLimitAttribute>();
        CollectionAge = ageLimit is null || ageLimit.Amount <= TimeSpan.Zero ? null : ageLimit.Amount;
        PlacementSegments = classType.GetCustomAttribute<KeyPrefixPlacementAttribute>()?.Segments
            ?? classType.GetInterfaces().Select(i => i.GetCustomAttribute<KeyPrefixPlacementAttribute>()?.Segments).FirstOrDefault(s => s is not null);
        IsRemindable = typeof(IRemindable).IsAssignableFrom(classType);
    }

    public Type ClassType { get; }

    public string GrainType { get; }

    public bool IsReentrant { get; }

    public bool IsRemindable { get; }

    /// <summary>The class's own idle age limit ([CollectionAgeLimit]); null: the silo's default.</summary>
    public TimeSpan? CollectionAge { get; }

    /// <summary>Leading key segments that form the placement key ([KeyPrefixPlacement]); null: the whole key.</summary>
    public int? PlacementSegments { get; }

    /// <summary>The constructor plan, built on the first activation.</summary>
    public Activation.GrainConstructorPlan? ConstructorPlan { get; set; }

    /// <summary>The key placement hashes: the whole grain key or its first <see cref="PlacementSegments"/> segments.</summary>
    public string PlacementKey(string grainKey)
    {
        if (PlacementSegments is not int segments)
        {
            return grainKey;
        }

        var index = -1;
        for (var i = 0; i < segments; i++)
        {
            index = grainKey.IndexOf('/', index + 1);
            if (index < 0)
            {
                return grainKey;
            }
        }

        return grainKey[..index];
    }
}
