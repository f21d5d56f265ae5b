using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Registers the PostgreSQL providers on an Orleans silo the way Orleans registers its own: the membership table
/// as the silo's <see cref="IMembershipTable"/>, grain storage as a keyed <see cref="IGrainStorage"/> that takes
/// part in the silo lifecycle, the reminder table as the silo's <see cref="IReminderTable"/> with Orleans' reminder
/// service. Each has named <see cref="PostgresStorageOptions"/> (the storage provider's name, or
/// <see cref="ClusteringOptionsName"/> / <see cref="ReminderOptionsName"/>), checked when the silo starts.
/// </summary>
/// <remarks>
/// Rows are kept per <see cref="ClusterOptions.ClusterId"/> (membership) and <see cref="ClusterOptions.ServiceId"/>
/// (grain state, reminders), as Orleans' own providers key them. Grain storage uses the options' serializer or else
/// the silo's <see cref="IGrainStorageSerializer"/> registration (keyed by the provider's name first).
/// </remarks>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>The name of the <see cref="PostgresStorageOptions"/> instance the membership table is configured with.</summary>
    public const string ClusteringOptionsName = "HelaMem.PostgresClustering";

    /// <summary>The name of the <see cref="PostgresStorageOptions"/> instance the reminder table is configured with.</summary>
    public const string ReminderOptionsName = "HelaMem.PostgresReminders";

    /// <summary>Uses PostgreSQL for cluster membership (the silo's <see cref="IMembershipTable"/>).</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UsePostgresClustering(options => options.Configure(configure));
    }

    /// <summary>Uses PostgreSQL for cluster membership, configured through an options builder.</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, Action<OptionsBuilder<PostgresStorageOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices(services =>
        {
            configure(services.AddOptions<PostgresStorageOptions>(ClusteringOptionsName));
            AddValidator(services, ClusteringOptionsName, "membership table");
            services.AddSingleton(static provider => new PostgresMembershipTable(
                provider.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>().Get(ClusteringOptionsName),
                provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId,
                provider.GetRequiredService<ILogger<PostgresMembershipTable>>()));
            services.AddSingleton<IMembershipTable>(static provider => provider.GetRequiredService<PostgresMembershipTable>());
        });
    }

    /// <summary>Adds PostgreSQL grain storage named <paramref name="name"/> (as grains name it in <c>[PersistentState(state, name)]</c>).</summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddPostgresGrainStorage(name, options => options.Configure(configure));
    }

    /// <summary>Adds PostgreSQL grain storage named <paramref name="name"/>, configured through an options builder.</summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<PostgresStorageOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices(services =>
        {
            configure(services.AddOptions<PostgresStorageOptions>(name));
            services.AddSingleton<IPostConfigureOptions<PostgresStorageOptions>>(provider => new SerializerFromRegistration(name, provider));
            AddValidator(services, name, "grain storage");
            services.AddGrainStorage(name, static (provider, providerName) => new PostgresGrainStorage(
                providerName,
                provider.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>().Get(providerName),
                provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                provider.GetRequiredService<IActivatorProvider>(),
                provider.GetRequiredService<ILogger<PostgresGrainStorage>>()));
        });
    }

    /// <summary>Adds PostgreSQL grain storage as the default provider (<c>"Default"</c>: grains that name no provider).</summary>
    public static ISiloBuilder AddPostgresGrainStorageAsDefault(this ISiloBuilder builder, Action<PostgresStorageOptions> configure) =>
        builder.AddPostgresGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Uses the PostgreSQL reminder table for Orleans' reminder service (and adds the service).</summary>
    public static ISiloBuilder UsePostgresReminderService(this ISiloBuilder builder, Action<PostgresStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UsePostgresReminderService(options => options.Configure(configure));
    }

    /// <summary>Uses the PostgreSQL reminder table for Orleans' reminder service, configured through an options builder.</summary>
    public static ISiloBuilder UsePostgresReminderService(this ISiloBuilder builder, Action<OptionsBuilder<PostgresStorageOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices(services =>
        {
            services.AddReminders();
            configure(services.AddOptions<PostgresStorageOptions>(ReminderOptionsName));
            AddValidator(services, ReminderOptionsName, "reminder table");
            services.AddSingleton<IReminderTable>(static provider => new PostgresReminderTable(
                provider.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>().Get(ReminderOptionsName),
                provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                provider.GetRequiredService<ILogger<PostgresReminderTable>>()));
        });
    }

    private static void AddValidator(IServiceCollection services, string optionsName, string component) =>
        services.AddSingleton<IConfigurationValidator>(provider => new PostgresOptionsValidator(
            provider.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>().Get(optionsName),
            component,
            optionsName));
}

/// <summary>
/// Fills in the serializer of one grain storage's options from the silo's registrations: a keyed
/// <see cref="IGrainStorageSerializer"/> under the provider's name, else the silo-wide one (Orleans' own rule). Scoped
/// to that name: the membership and reminder options have no serializer, and resolving one for them would pull in
/// services that depend on the membership table itself.
/// </summary>
internal sealed class SerializerFromRegistration(string name, IServiceProvider services) : IPostConfigureOptions<PostgresStorageOptions>
{
    public void PostConfigure(string? optionsName, PostgresStorageOptions options)
    {
        if (optionsName == name && options.GrainStorageSerializer is null)
        {
            options.GrainStorageSerializer = services.GetKeyedService<IGrainStorageSerializer>(name) ?? services.GetRequiredService<IGrainStorageSerializer>();
        }
    }
}

/// <summary>Checks a provider's options when the silo starts, before anything connects (Orleans runs every <see cref="IConfigurationValidator"/>).</summary>
internal sealed class PostgresOptionsValidator(PostgresStorageOptions options, string component, string name) : IConfigurationValidator
{
    public void ValidateConfiguration() => options.Validate($"{component} {name}");
}
