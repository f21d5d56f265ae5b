using System.Reflection;
using HelaMem.Runtime.CodeGeneration;

namespace HelaMem.Runtime.Metadata;

/// <summary>
/// Grain interfaces (with their generated proxy and invoker) and grain classes, collected once from the generated
/// manifests of the configured assemblies. Lookups on the call path are dictionary reads.
/// </summary>
public sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, InterfaceEntry> _interfaces = [];
    private readonly Dictionary<string, GrainClassInfo> _classes = new(StringComparer.Ordinal);

    private GrainTypeRegistry()
    {
    }

    /// <summary>The grain type names known to this registry.</summary>
    public IReadOnlyCollection<string> GrainTypes => _classes.Keys;

    /// <summary>
    /// Builds the registry from the generated manifests of <paramref name="assemblies"/>; with none given, from every
    /// assembly of the application that carries a manifest, loaded or not yet loaded (see
    /// <see cref="GrainAssemblyDiscovery"/>).
    /// </summary>
    public static GrainTypeRegistry Create(IEnumerable<Assembly>? assemblies)
    {
        var sources = assemblies?.ToList() ?? [];
        if (sources.Count == 0)
        {
            sources = [.. GrainAssemblyDiscovery.FindGrainAssemblies()];
        }

        var builder = new GrainManifestBuilder();
        foreach (var assembly in sources.Distinct())
        {
            foreach (var attribute in assembly.GetCustomAttributes<GrainManifestAttribute>())
            {
                var manifest = (IGrainManifest)(Activator.CreateInstance(attribute.ManifestType)
                    ?? throw new InvalidOperationException($"The grain manifest {attribute.ManifestType} could not be created."));
                manifest.Populate(builder);
            }
        }

        var registry = new GrainTypeRegistry();
        foreach (var (type, entry) in builder.Interfaces)
        {
            registry._interfaces[type] = new InterfaceEntry(entry.Invoker, entry.ProxyFactory);
        }

        foreach (var classType in builder.GrainClasses.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var info = new GrainClassInfo(classType);
            if (registry._classes.TryGetValue(info.GrainType, out var clash) && clash.ClassType != classType)
            {
                throw new InvalidOperationException($"Grain classes {clash.ClassType.FullName} and {classType.FullName} both use grain type '{info.GrainType}'; give one of them a distinct [GrainType].");
            }

            registry._classes[info.GrainType] = info;
            foreach (var implemented in classType.GetInterfaces())
            {
                if (registry._interfaces.TryGetValue(implemented, out var entry))
                {
                    entry.Implementations.Add(info);
                }
            }
        }

        return registry;
    }

    internal InterfaceEntry GetInterface(Type interfaceType) =>
        _interfaces.TryGetValue(interfaceType, out var entry)
            ? entry
            : throw new InvalidOperationException($"{interfaceType.FullName} is not a known grain interface: no generated proxy was registered for it. Reference HelaMem.Runtime.Generators as an analyzer from the assembly that declares or implements it, and add that assembly to the silo.");

    internal bool TryGetClass(string grainType, out GrainClassInfo info) => _classes.TryGetValue(grainType, out info!);

    internal GrainClassInfo GetClass(string grainType) =>
        _classes.TryGetValue(grainType, out var info)
            ? info
            : throw new InvalidOperationException($"No grain class has grain type '{grainType}'. Known grain types: {string.Join(", ", _classes.Keys.Order(StringComparer.Ordinal))}.");

    /// <summary>One grain interface: its invoker, proxy factory and implementing classes.</summary>
    internal sealed class InterfaceEntry(IGrainMethodInvoker invoker, Func<IGrainCallRuntime, GrainId, GrainReference> proxyFactory)
    {
        public IGrainMethodInvoker Invoker { get; } = invoker;

        public Func<IGrainCallRuntime, GrainId, GrainReference> ProxyFactory { get; } = proxyFactory;

        public List<GrainClassInfo> Implementations { get; } = [];
    }
}
