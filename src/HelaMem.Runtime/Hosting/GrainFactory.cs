using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Metadata;

namespace HelaMem.Runtime.Hosting;

/// <summary>Creates grain references (generated proxies) bound to a call runtime. Creating one costs a small allocation.</summary>
public sealed class GrainFactory : IGrainFactory
{
    /// <summary>Longest grain key accepted.</summary>
    public const int MaxKeyLength = 1024;

    private readonly GrainTypeRegistry _registry;
    private readonly IGrainCallRuntime _runtime;

    /// <summary>A factory whose references send through <paramref name="runtime"/>.</summary>
    public GrainFactory(GrainTypeRegistry registry, IGrainCallRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(runtime);
        _registry = registry;
        _runtime = runtime;
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ValidateKey(key);
        var entry = _registry.GetInterface(typeof(TGrainInterface));
        var implementation = entry.Implementations.Count switch
        {
            1 => entry.Implementations[0],
            0 => throw new InvalidOperationException($"No grain class implements {typeof(TGrainInterface).FullName}; add the assembly that holds it to the silo."),
            _ => throw new InvalidOperationException($"Several grain classes implement {typeof(TGrainInterface).FullName} ({string.Join(", ", entry.Implementations.Select(i => i.GrainType))}); name one with GetGrain<T>(key, grainType)."),
        };
        return (TGrainInterface)(object)entry.ProxyFactory(_runtime, new GrainId(implementation.GrainType, key));
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string key, string grainType)
        where TGrainInterface : IGrainWithStringKey
    {
        ValidateKey(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(grainType);
        var entry = _registry.GetInterface(typeof(TGrainInterface));
        var implementation = entry.Implementations.FirstOrDefault(i => i.GrainType == grainType)
            ?? throw new InvalidOperationException($"Grain type '{grainType}' does not implement {typeof(TGrainInterface).FullName}.");
        return (TGrainInterface)(object)entry.ProxyFactory(_runtime, new GrainId(implementation.GrainType, key));
    }

    /// <summary>Rejects keys that could not be stored or addressed reliably.</summary>
    public static void ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("A grain key must not be empty.", nameof(key));
        }

        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A grain key must be at most {MaxKeyLength} characters; this one has {key.Length}.", nameof(key));
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"A grain key must not contain control characters (found U+{(int)c:X4}).", nameof(key));
            }
        }
    }
}
