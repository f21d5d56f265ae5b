using System.Reflection;
using HelaMem.Runtime.Filters;
using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Messaging;
using HelaMem.Runtime.Metadata;
using HelaMem.Runtime.Placement;
using HelaMem.Runtime.Reminders;
using HelaMem.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelaMem.Runtime.Hosting;

/// <summary>
/// Configures and builds a <see cref="Silo"/>. Without cluster services it builds a standalone silo; share one
/// membership, directory and transport between builders (<see cref="UseCluster"/>) to form an in-process cluster.
/// </summary>
public sealed class SiloBuilder
{
    private readonly List<Assembly> _assemblies = [];
    private readonly List<Action<SiloOptions>> _configure = [];

    /// <summary>The silo's service collection: user services, logging providers, storage, filters.</summary>
    public IServiceCollection Services { get; } = new ServiceCollection();

    /// <summary>Changes the silo's options.</summary>
    public SiloBuilder Configure(Action<SiloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configure.Add(configure);
        return this;
    }

    /// <summary>Adds the grain interfaces and classes of <paramref name="assembly"/> (its generated manifest). Without any, every assembly of the application with a manifest is used, whether or not it was loaded yet.</summary>
    public SiloBuilder AddGrainAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>Adds a storage provider the silo creates (and disposes when it stops).</summary>
    public SiloBuilder AddGrainStorage(string name, Func<IServiceProvider, IGrainStorage> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddKeyedSingleton(name, (services, _) => factory(services));
        return this;
    }

    /// <summary>Adds a storage provider owned by the caller (shared between silos, not disposed by the silo).</summary>
    public SiloBuilder AddGrainStorage(string name, IGrainStorage storage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(storage);
        Services.AddKeyedSingleton(name, storage);
        return this;
    }

    /// <summary>Uses a reminder table the silo creates (and disposes when it stops).</summary>
    public SiloBuilder UseReminderTable(Func<IServiceProvider, IReminderTable> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Uses a reminder table owned by the caller.</summary>
    public SiloBuilder UseReminderTable(IReminderTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Services.Replace(ServiceDescriptor.Singleton(table));
        return this;
    }

    /// <summary>Joins the cluster formed by these shared services.</summary>
    public SiloBuilder UseCluster(IClusterMembership membership, IGrainDirectory directory, IMessageTransport transport)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(transport);
        Services.Replace(ServiceDescriptor.Singleton(membership));
        Services.Replace(ServiceDescriptor.Singleton(directory));
        Services.Replace(ServiceDescriptor.Singleton(transport));
        return this;
    }

    /// <summary>Adds a filter around every request this silo's activations run.</summary>
    public SiloBuilder AddIncomingGrainCallFilter(IIncomingGrainCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Services.AddSingleton(filter);
        return this;
    }

    /// <summary>Adds a filter around every call this silo sends.</summary>
    public SiloBuilder AddOutgoingGrainCallFilter(IOutgoingGrainCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Services.AddSingleton(filter);
        return this;
    }

    /// <summary>Builds the silo (not yet started).</summary>
    public Silo Build()
    {
        var options = new SiloOptions();
        foreach (var configure in _configure)
        {
            configure(options);
        }

        options.Validate();
        var registry = GrainTypeRegistry.Create(_assemblies);
        var holder = new SiloHolder();
        Services.AddLogging();
        Services.TryAddSingleton<IClusterMembership, InMemoryClusterMembership>();
        Services.TryAddSingleton<IGrainDirectory, InMemoryGrainDirectory>();
        Services.TryAddSingleton<IMessageTransport, InProcessTransport>();
        Services.TryAddSingleton<IPlacementDirector, RendezvousPlacementDirector>();
        Services.TryAddSingleton(options);
        Services.TryAddSingleton(registry);
        Services.TryAddSingleton(_ => holder.Silo ?? throw new InvalidOperationException("The silo is still being built."));
        Services.TryAddSingleton(_ => (holder.Silo ?? throw new InvalidOperationException("The silo is still being built.")).GrainFactory);

        var provider = Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
        var silo = new Silo(options, provider, registry);
        holder.Silo = silo;
        return silo;
    }

    private sealed class SiloHolder
    {
        public Silo? Silo { get; set; }
    }
}
