using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Silo;
using HelaMem.Tests.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>
/// The PostgreSQL providers on real silos (Orleans' in-process test cluster, two silos): membership, grain state and
/// reminders all in PostgreSQL, the client finding its gateways there too. Grain state survives a killed silo and
/// restarted silos, and a reminder ticks.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresOnTestClusterTests(PostgresFixture fixture) : IAsyncLifetime
{
    private readonly string _serviceId = PostgresTestStores.NewServiceId();
    private readonly string _clusterId = $"test-cluster-{Guid.NewGuid():N}";
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is deployed in InitializeAsync.");

    public async Task InitializeAsync()
    {
        var connectionString = fixture.Server.ConnectionString();
        var builder = new InProcessTestClusterBuilder(2);
        UseClusteringOfTheSilos(builder.Options);
        builder.Options.ServiceId = _serviceId;
        builder.Options.ClusterId = _clusterId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UsePostgresClustering(options => options.ConnectionString = connectionString)
                .AddPostgresGrainStorage(NoteGrain.StorageName, options => options.ConnectionString = connectionString)
                .UsePostgresReminderService(options => options.ConnectionString = connectionString)
                .Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1))
                .Configure<ClusterMembershipOptions>(options =>
                {
                    // A killed silo is declared dead within a few seconds, as in production with tuned probes.
                    options.ProbeTimeout = TimeSpan.FromSeconds(1);
                    options.NumMissedProbesLimit = 2;
                    options.NumVotesForDeathDeclaration = 1;
                });

            // HelaMem's state format for every provider, as the silo registers it.
            silo.Services.AddSingleton<IGrainStorageSerializer>(new HelaMemJsonGrainStorageSerializer());
        });
        builder.ConfigureClient(client => client
            .UsePostgresClustering(options => options.ConnectionString = connectionString)
            .Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)));
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        // Each silo learns of the other through the PostgreSQL table; until both see two active silos, a silo places
        // every new activation on itself. (The test cluster's own wait for this gives up after its first look.)
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_cluster.Silos.All(silo => silo.ServiceProvider.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2))
        {
            Assert.True(DateTime.UtcNow < deadline, "the two silos did not see each other as active within 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Turns off the test cluster's in-memory membership table, whose registration would otherwise come after (and so
    /// replace) the PostgreSQL one. Orleans 10.4.2 keeps the switch internal; if it moves, this fails loudly.
    /// </summary>
    private static void UseClusteringOfTheSilos(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
            ?? throw new InvalidOperationException("InProcessTestClusterOptions.UseTestClusterMembership is gone; find the new way to keep the test cluster's membership out.");
        property.SetValue(options, false);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Both_silos_are_active_members_in_the_postgres_membership_table()
    {
        await using var table = PostgresTestStores.Membership(fixture.Server, _clusterId);
        await table.InitializeMembershipTable(false);

        var members = (await table.ReadAllAsync(CancellationToken.None)).Members.Select(member => member.Item1).ToList();

        Assert.Equal(
            Cluster.Silos.Select(silo => silo.SiloAddress).Order().ToList(),
            members.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress).Order().ToList());
        Assert.All(Cluster.Silos, silo => Assert.IsType<PostgresGrainStorage>(silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(NoteGrain.StorageName)));
        Assert.All(Cluster.Silos, silo => Assert.IsType<PostgresReminderTable>(silo.ServiceProvider.GetRequiredService<IReminderTable>()));
    }

    [Fact]
    public async Task Grain_state_survives_a_killed_silo_and_a_restart_of_the_other()
    {
        const int grains = 24;
        var refs = Enumerable.Range(0, grains).Select(i => Cluster.Client.GetGrain<INoteGrain>($"fixture/alice/{i}")).ToList();
        for (var i = 0; i < grains; i++)
        {
            await refs[i].SetText($"note {i}");
        }

        // The silo holding more of the grains is killed; holding none at all would make the test prove nothing.
        var victim = Cluster.Silos.MaxBy(silo => refs.Count(grain => Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) && context.Address.SiloAddress == silo.SiloAddress))!;
        var onVictim = refs.Count(grain => Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) && context.Address.SiloAddress == victim.SiloAddress);
        Assert.True(onVictim > 0, "no grain was activated on the silo to be killed; the test would prove nothing");
        await Cluster.KillSiloAsync(victim);

        // The survivor declares the killed silo dead in PostgreSQL (the membership protocol on these providers).
        await WaitForStatusAsync(victim.SiloAddress, SiloStatus.Dead, TimeSpan.FromSeconds(30));
        for (var i = 0; i < grains; i++)
        {
            Assert.Equal($"note {i}", await ReadThroughLiveGatewayAsync(refs[i]));
        }

        // The survivor restarts too (a new silo generation): every activation is gone, state comes from PostgreSQL.
        var survivor = Assert.Single(Cluster.Silos);
        await Cluster.RestartSiloAsync(survivor);
        await WaitForStatusAsync(survivor.SiloAddress, SiloStatus.Dead, TimeSpan.FromSeconds(30));
        for (var i = 0; i < grains; i++)
        {
            Assert.Equal($"note {i}", await ReadThroughLiveGatewayAsync(refs[i]));
        }

        Assert.Equal(grains, await CountAsync(
            "SELECT count(*) FROM helamem.grain_state WHERE service_id = $1 AND grain_type = $2 AND state_name = $3;",
            _serviceId, NoteGrain.GrainTypeName, NoteGrain.StateName));
    }

    [Fact]
    public async Task A_reminder_ticks_and_its_row_is_in_postgres()
    {
        var grain = Cluster.Client.GetGrain<INoteGrain>("fixture/ticker");

        await grain.StartTicking("tick", TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (await grain.GetTicks() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the reminder did not tick twice within 45 s");
            await Task.Delay(250);
        }

        await using var table = await PostgresTestStores.StartedRemindersAsync(fixture.Server, _serviceId);
        var row = await table.ReadRow(grain.GetGrainId(), "tick");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromSeconds(1), row.Period);
    }

    /// <summary>
    /// Reads the grain's text. A call the client sent to a gateway that has just gone (its list is refreshed every
    /// second) fails without reaching a grain (or finds no gateway until the list shows the restarted silo) and is sent again; a wrong answer is never retried.
    /// </summary>
    private static async Task<string> ReadThroughLiveGatewayAsync(INoteGrain grain)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await grain.GetText();
            }
            catch (Exception error) when (attempt < 40 && error is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                await Task.Delay(500);
            }
        }
    }

    private async Task WaitForStatusAsync(SiloAddress silo, SiloStatus status, TimeSpan timeout)
    {
        await using var table = PostgresTestStores.Membership(fixture.Server, _clusterId);
        await table.InitializeMembershipTable(false);
        var deadline = DateTime.UtcNow + timeout;
        while ((await table.ReadRowAsync(silo, CancellationToken.None)).Members.SingleOrDefault()?.Item1.Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{silo} did not reach {status} in the PostgreSQL membership table within {timeout.TotalSeconds} s");
            await Task.Delay(250);
        }
    }

    private async Task<long> CountAsync(string sql, params string[] values)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Server.ConnectionString());
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
