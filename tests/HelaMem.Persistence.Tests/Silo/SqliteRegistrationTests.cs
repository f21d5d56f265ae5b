using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Silo;

/// <summary>What the registration methods and the configuration provider type put into a silo's services (hosts built, not started).</summary>
public sealed class SqliteRegistrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task As_default_registers_the_keyed_default_the_unkeyed_storage_and_a_lifecycle_participant()
    {
        using var host = Build(silo => silo.AddSqliteGrainStorageAsDefault(options =>
        {
            options.DataDirectory = _directory.Path;
            options.MaxBatchSize = 7;
        }));

        var keyed = host.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var storage = Assert.IsType<SqliteGrainStorage>(keyed);
        Assert.Same(keyed, host.Services.GetRequiredService<IGrainStorage>());
        Assert.Equal("Default", storage.Name);
        Assert.Contains(host.Services.GetServices<ILifecycleParticipant<ISiloLifecycle>>(), participant => ReferenceEquals(participant, keyed));
        Assert.Equal(7, host.Services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get("Default").MaxBatchSize);

        // Not opened before the silo starts.
        Assert.False(File.Exists(Path.Combine(_directory.Path, "helamem.db")));
        await ((IAsyncDisposable)storage).DisposeAsync();
    }

    [Fact]
    public void Named_providers_get_their_own_options_and_the_reminder_table_its_own()
    {
        var graphs = Path.Combine(_directory.Path, "graphs");
        var reminders = Path.Combine(_directory.Path, "reminders");
        using var host = Build(silo => silo
            .AddSqliteGrainStorage("graphs", options => options.DataDirectory = graphs)
            .AddSqliteGrainStorage("nodes", options =>
            {
                options.DataDirectory = graphs;
                options.Synchronous = SqliteSynchronousMode.Normal;
            })
            .UseSqliteReminderService(options => options.DataDirectory = reminders));

        var options = host.Services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>();
        Assert.Equal(SqliteSynchronousMode.Full, options.Get("graphs").Synchronous);
        Assert.Equal(SqliteSynchronousMode.Normal, options.Get("nodes").Synchronous);
        Assert.Equal(reminders, options.Get(SqliteSiloBuilderExtensions.ReminderOptionsName).DataDirectory);
        Assert.Equal("nodes", Assert.IsType<SqliteGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>("nodes")).Name);
        Assert.IsType<SqliteReminderTable>(host.Services.GetRequiredService<IReminderTable>());
        Assert.Null(host.Services.GetService<IGrainStorage>());
    }

    [Fact]
    public void Configuration_selects_the_providers_with_provider_type_sqlite()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:GrainStorage:notes:ProviderType"] = "Sqlite",
            ["Orleans:GrainStorage:notes:DataDirectory"] = _directory.Path,
            ["Orleans:GrainStorage:notes:Synchronous"] = "Normal",
            ["Orleans:GrainStorage:notes:MaxBatchDelay"] = "00:00:00.002",
            ["Orleans:Reminders:ProviderType"] = "Sqlite",
            ["Orleans:Reminders:DataDirectory"] = _directory.Path,
            ["Orleans:Reminders:FileName"] = "reminders.db",
        });
        builder.UseOrleans(silo => silo.UseLocalhostClustering());
        using var host = builder.Build();

        Assert.Equal("notes", Assert.IsType<SqliteGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>("notes")).Name);
        var options = host.Services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>();
        Assert.Equal(_directory.Path, options.Get("notes").DataDirectory);
        Assert.Equal(SqliteSynchronousMode.Normal, options.Get("notes").Synchronous);
        Assert.Equal(TimeSpan.FromMilliseconds(2), options.Get("notes").MaxBatchDelay);
        Assert.IsType<HelaMemJsonGrainStorageSerializer>(options.Get("notes").GrainStorageSerializer);
        Assert.IsType<SqliteReminderTable>(host.Services.GetRequiredService<IReminderTable>());
        Assert.Equal("reminders.db", options.Get(SqliteSiloBuilderExtensions.ReminderOptionsName).FileName);
    }

    private static IHost Build(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            configure(silo);
        });
        return builder.Build();
    }
}
