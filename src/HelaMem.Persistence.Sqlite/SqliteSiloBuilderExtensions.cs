using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Registers the SQLite providers on an Orleans silo, the way Orleans registers its own: grain storage as a keyed
/// <see cref="Orleans.Storage.IGrainStorage"/> that takes part in the silo lifecycle (opened at start, drained and
/// closed at stop), the reminder table as the silo's <see cref="IReminderTable"/> together with Orleans' reminder
/// service. Options are named options: the storage provider's name, or <see cref="ReminderOptionsName"/>.
/// </summary>
/// <remarks>
/// Grain storage and reminders share one database when their options name the same <see cref="SqliteStorageOptions.DataDirectory"/>
/// and <see cref="SqliteStorageOptions.FileName"/> (default <c>helamem.db</c>). Several silos, in one process or
/// several, may use the same file: each has its own connections, and SQLite's locks serialize their transactions.
/// </remarks>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>The name of the <see cref="SqliteStorageOptions"/> instance the reminder table is configured with.</summary>
    public const string ReminderOptionsName = "HelaMem.SqliteReminders";

    /// <summary>Adds SQLite grain storage named <paramref name="name"/> (as grains name it in <c>[PersistentState(state, name)]</c>).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddSqliteGrainStorage(name, options => options.Configure(configure));
    }

    /// <summary>Adds SQLite grain storage named <paramref name="name"/>, configured through an options builder (e.g. from configuration or other services).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<SqliteStorageOptions>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.ConfigureServices(services => services.AddSqliteGrainStorage(name, configure));
    }

    /// <summary>Adds SQLite grain storage as the default provider (<c>"Default"</c>: grains that name no provider).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds SQLite grain storage as the default provider, configured through an options builder.</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<SqliteStorageOptions>>? configure = null) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Uses the SQLite reminder table for Orleans' reminder service (and adds the service).</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseSqliteReminderService(options => options.Configure(configure));
    }

    /// <summary>Uses the SQLite reminder table for Orleans' reminder service, configured through an options builder.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<OptionsBuilder<SqliteStorageOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices(services => services.UseSqliteReminderService(configure));
    }

    /// <summary>The service-collection form of <see cref="AddSqliteGrainStorage(ISiloBuilder, string, Action{OptionsBuilder{SqliteStorageOptions}}?)"/>.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<OptionsBuilder<SqliteStorageOptions>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        configure?.Invoke(services.AddOptions<SqliteStorageOptions>(name));
        return services.AddGrainStorage(name, static (provider, providerName) => new SqliteGrainStorage(
            providerName,
            provider.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(providerName),
            provider.GetRequiredService<IActivatorProvider>(),
            provider.GetRequiredService<ILogger<SqliteGrainStorage>>(),
            provider.GetService<TimeProvider>()));
    }

    /// <summary>The service-collection form of <see cref="UseSqliteReminderService(ISiloBuilder, Action{OptionsBuilder{SqliteStorageOptions}})"/>.</summary>
    public static IServiceCollection UseSqliteReminderService(this IServiceCollection services, Action<OptionsBuilder<SqliteStorageOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddReminders();
        configure(services.AddOptions<SqliteStorageOptions>(ReminderOptionsName));
        services.AddSingleton<IReminderTable>(static provider => new SqliteReminderTable(
            provider.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(ReminderOptionsName),
            provider.GetRequiredService<ILogger<SqliteReminderTable>>()));
        return services;
    }
}
