using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;
using HelaMem.Persistence.Sqlite;

[assembly: RegisterProvider("Sqlite", "GrainStorage", "Silo", typeof(SqliteGrainStorageProviderBuilder))]
[assembly: RegisterProvider("Sqlite", "Reminders", "Silo", typeof(SqliteReminderTableProviderBuilder))]

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Lets configuration select SQLite grain storage: <c>Orleans:GrainStorage:&lt;name&gt;:ProviderType = Sqlite</c>, with the
/// <see cref="SqliteStorageOptions"/> properties beside it (<c>DataDirectory</c>, <c>FileName</c>, <c>Synchronous</c>, ...)
/// and optionally <c>SerializerKey</c>, the key of a keyed <see cref="IGrainStorageSerializer"/> service.
/// </summary>
internal sealed class SqliteGrainStorageProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection) =>
        builder.AddSqliteGrainStorage(
            string.IsNullOrEmpty(name) ? ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME : name,
            (OptionsBuilder<SqliteStorageOptions> options) => options.Configure<IServiceProvider>((options, services) =>
            {
                SqliteProviderConfiguration.Bind(configurationSection, options);
                if (configurationSection["SerializerKey"] is { Length: > 0 } serializerKey)
                {
                    options.GrainStorageSerializer = services.GetRequiredKeyedService<IGrainStorageSerializer>(serializerKey);
                }
            }));
}

/// <summary>Lets configuration select the SQLite reminder table: <c>Orleans:Reminders:ProviderType = Sqlite</c>, with the options beside it.</summary>
internal sealed class SqliteReminderTableProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection) =>
        builder.UseSqliteReminderService((OptionsBuilder<SqliteStorageOptions> options) => options.Configure(options => SqliteProviderConfiguration.Bind(configurationSection, options)));
}

internal static class SqliteProviderConfiguration
{
    /// <summary>Reads the plain settings; the serializer is an object and comes from <c>SerializerKey</c> instead.</summary>
    public static void Bind(IConfigurationSection section, SqliteStorageOptions options)
    {
        var serializer = options.GrainStorageSerializer;
        section.Bind(options);
        options.GrainStorageSerializer = serializer;
    }
}
