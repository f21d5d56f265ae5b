using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>What the registration methods put into a silo's services (hosts built, not started: nothing connects).</summary>
public sealed class PostgresRegistrationTests
{
    private const string ConnectionString = "Host=127.0.0.1;Port=1;Database=helamem;Username=helamem;Password=unused";

    [Fact]
    public void Each_provider_is_registered_with_its_own_named_options()
    {
        using var host = Build(silo => silo
            .UsePostgresClustering(o => o.ConnectionString = ConnectionString + ";Timeout=3")
            .AddPostgresGrainStorage("graphs", o => o.ConnectionString = ConnectionString)
            .AddPostgresGrainStorage("nodes", o =>
            {
                o.ConnectionString = ConnectionString;
                o.MaxPayloadBytes = 1024;
            })
            .UsePostgresReminderService(o => o.ConnectionString = ConnectionString));

        Assert.IsType<PostgresMembershipTable>(host.Services.GetRequiredService<IMembershipTable>());
        Assert.IsType<PostgresReminderTable>(host.Services.GetRequiredService<IReminderTable>());
        var nodes = Assert.IsType<PostgresGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>("nodes"));
        Assert.Equal("nodes", nodes.Name);
        Assert.Contains(host.Services.GetServices<ILifecycleParticipant<ISiloLifecycle>>(), participant => ReferenceEquals(participant, nodes));
        var options = host.Services.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>();
        Assert.Equal(1024, options.Get("nodes").MaxPayloadBytes);
        Assert.Equal(64 * 1024 * 1024, options.Get("graphs").MaxPayloadBytes);
        Assert.EndsWith("Timeout=3", options.Get(PostgresSiloBuilderExtensions.ClusteringOptionsName).ConnectionString, StringComparison.Ordinal);
        Assert.Equal(ConnectionString, options.Get(PostgresSiloBuilderExtensions.ReminderOptionsName).ConnectionString);
    }

    [Fact]
    public void Grain_storage_takes_the_serializer_registered_for_its_name_else_the_silo_wide_one()
    {
        var special = new HelaMemJsonGrainStorageSerializer();
        var silowide = new HelaMemJsonGrainStorageSerializer();
        using var host = Build(silo =>
        {
            silo.AddPostgresGrainStorage("graphs", o => o.ConnectionString = ConnectionString)
                .AddPostgresGrainStorage("nodes", o => o.ConnectionString = ConnectionString);
            silo.Services.AddSingleton<IGrainStorageSerializer>(silowide);
            silo.Services.AddKeyedSingleton<IGrainStorageSerializer>("nodes", special);
        });

        var options = host.Services.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>();
        Assert.Same(silowide, options.Get("graphs").GrainStorageSerializer);
        Assert.Same(special, options.Get("nodes").GrainStorageSerializer);
        Assert.Null(options.Get(PostgresSiloBuilderExtensions.ReminderOptionsName).GrainStorageSerializer);
    }

    [Fact]
    public void Configuration_selects_the_providers_with_provider_type_postgres()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Clustering:ProviderType"] = "Postgres",
            ["Orleans:Clustering:ConnectionString"] = ConnectionString,
            ["Orleans:GrainStorage:notes:ProviderType"] = "Postgres",
            ["Orleans:GrainStorage:notes:ConnectionString"] = ConnectionString,
            ["Orleans:GrainStorage:notes:MaxPayloadBytes"] = "2048",
            ["Orleans:GrainStorage:notes:SerializerKey"] = "helamem",
            ["Orleans:Reminders:ProviderType"] = "Postgres",
            ["Orleans:Reminders:ConnectionString"] = ConnectionString,
            ["Orleans:Reminders:CommandTimeout"] = "00:00:07",
        });
        var serializer = new HelaMemJsonGrainStorageSerializer();
        builder.Services.AddKeyedSingleton<IGrainStorageSerializer>("helamem", serializer);
        builder.UseOrleans(_ => { });
        using var host = builder.Build();

        Assert.IsType<PostgresMembershipTable>(host.Services.GetRequiredService<IMembershipTable>());
        Assert.Equal("notes", Assert.IsType<PostgresGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>("notes")).Name);
        Assert.IsType<PostgresReminderTable>(host.Services.GetRequiredService<IReminderTable>());
        var options = host.Services.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>();
        Assert.Equal(2048, options.Get("notes").MaxPayloadBytes);
        Assert.Same(serializer, options.Get("notes").GrainStorageSerializer);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Get(PostgresSiloBuilderExtensions.ReminderOptionsName).CommandTimeout);
        Assert.Equal(ConnectionString, options.Get(PostgresSiloBuilderExtensions.ClusteringOptionsName).ConnectionString);
    }

    [Fact]
    public void A_client_configured_with_provider_type_postgres_reads_its_gateways_from_postgres()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:Clustering:ProviderType"] = "Postgres",
            ["Orleans:Clustering:ConnectionString"] = ConnectionString,
        });
        builder.UseOrleansClient(_ => { });
        using var host = builder.Build();

        Assert.IsType<PostgresGatewayListProvider>(host.Services.GetRequiredService<IGatewayListProvider>());
    }

    private static IHost Build(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(configure);
        return builder.Build();
    }
}
