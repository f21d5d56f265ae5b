namespace HelaMem.Runtime.CodeGeneration;

/// <summary>Names the generated manifest of an assembly; the runtime reads it once at startup.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class GrainManifestAttribute(Type manifestType) : Attribute
{
    /// <summary>The generated type implementing <see cref="IGrainManifest"/>.</summary>
    public Type ManifestType { get; } = manifestType;
}

/// <summary>Implemented by the generator: lists the assembly's grain interfaces (with proxy and invoker) and grain classes.</summary>
public interface IGrainManifest
{
    /// <summary>Adds this assembly's entries to <paramref name="builder"/>.</summary>
    void Populate(GrainManifestBuilder builder);
}

/// <summary>Collects manifest entries.</summary>
public sealed class GrainManifestBuilder
{
    internal Dictionary<Type, (IGrainMethodInvoker Invoker, Func<IGrainCallRuntime, GrainId, GrainReference> ProxyFactory)> Interfaces { get; } = [];

    internal HashSet<Type> GrainClasses { get; } = [];

    /// <summary>Adds a grain interface with its invoker and proxy factory (the first registration of an interface wins).</summary>
    public void AddInterface(IGrainMethodInvoker invoker, Func<IGrainCallRuntime, GrainId, GrainReference> proxyFactory)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(proxyFactory);
        Interfaces.TryAdd(invoker.Descriptor.InterfaceType, (invoker, proxyFactory));
    }

    /// <summary>Adds a grain class.</summary>
    public void AddGrainClass(Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        GrainClasses.Add(grainClass);
    }
}
