using HelaMem.Persistence.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

[assembly: RegisterProvider("Postgres", "Clustering", "Silo", typeof(PostgresClusteringProviderBuilder))]
[assembly: RegisterProvider("Postgres", "Clustering", "Client", typeof(PostgresClusteringProviderBuilder))]
[assembly: RegisterProvider("Postgres", "GrainStorage", "Silo", typeof(PostgresGrainStorageProviderBuilder))]
[assembly: RegisterProvider("Postgres", "Reminders", "Silo", typeof(PostgresReminderTableProviderBuilder))]

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Lets configuration select PostgreSQL membership, as Orleans' own providers: <c>Orleans:Clustering:ProviderType =
/// Postgres</c> with <c>ConnectionString</c> (and the other <see cref="PostgresStorageOptions"/>) beside it.
/// </summary>
internal sealed class PostgresClusteringProviderBuilder : IProviderBuilder<ISiloBuilder>, IProviderBuilder<IClientBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection) =>
        builder.UsePostgresClustering((OptionsBuilder<PostgresStorageOptions> options) => options.Configure(o => PostgresProviderConfiguration.Bind(configurationSection, o)));

    public void Configure(IClientBuilder builder, string? name, IConfigurationSection configurationSection) =>
        builder.UsePostgresClustering(o => PostgresProviderConfiguration.Bind(configurationSection, o));
}

/// <summary>
/// <c>Orleans:GrainStorage:&lt;name&gt;:ProviderType = Postgres</c>, with the options beside it and optionally
/// <c>SerializerKey</c>, the key of a keyed <see cref="IGrainStorageSerializer"/> service.
/// </summary>
internal sealed class PostgresGrainStorageProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection) =>
        builder.AddPostgresGrainStorage(
            string.IsNullOrEmpty(name) ? ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME : name,
            (OptionsBuilder<PostgresStorageOptions> options) => options.Configure<IServiceProvider>((options, services) =>
            {
                PostgresProviderConfiguration.Bind(configurationSection, options);
                if (configurationSection["SerializerKey"] is { Length: > 0 } serializerKey)
                {
                    options.GrainStorageSerializer = services.GetRequiredKeyedService<IGrainStorageSerializer>(serializerKey);
                }
            }));
}

/// <summary><c>Orleans:Reminders:ProviderType = Postgres</c>, with the options beside it.</summary>
internal sealed class PostgresReminderTableProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection) =>
        builder.UsePostgresReminderService((OptionsBuilder<PostgresStorageOptions> options) => options.Configure(o => PostgresProviderConfiguration.Bind(configurationSection, o)));
}

internal static class PostgresProviderConfiguration
{
    /// <summary>Reads the plain settings; the serializer is an object and comes from <c>SerializerKey</c> or the registrations instead.</summary>
    public static void Bind(IConfigurationSection section, PostgresStorageOptions options)
    {
        var serializer = options.GrainStorageSerializer;
        section.Bind(options);
        options.GrainStorageSerializer = serializer;
    }
}
