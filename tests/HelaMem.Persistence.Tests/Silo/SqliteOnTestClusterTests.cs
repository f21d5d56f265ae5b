using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HelaMem.Persistence.Tests.Silo;

/// <summary>
/// The providers registered on real silos (Orleans' in-process test cluster, two silos sharing one database file):
/// grain state and reminders written through grains, kept across a killed silo, and the database closed when the
/// silos stop.
/// </summary>
public sealed class SqliteOnTestClusterTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is deployed in InitializeAsync.");

    public async Task InitializeAsync()
    {
        var directory = _directory.Path;
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo
            .AddSqliteGrainStorage(NoteGrain.StorageName, options => options.DataDirectory = directory)
            .UseSqliteReminderService(options => options.DataDirectory = directory)
            .Configure<ClusterMembershipOptions>(options =>
            {
                // A killed silo is declared dead within a few seconds, as in production with tuned probes.
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
            }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Each_silo_has_its_own_started_providers_on_the_same_file()
    {
        var storages = Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(NoteGrain.StorageName)).ToList();
        var tables = Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<IReminderTable>()).ToList();

        Assert.All(storages, storage => Assert.IsType<SqliteGrainStorage>(storage));
        Assert.All(tables, table => Assert.IsType<SqliteReminderTable>(table));
        Assert.NotSame(storages[0], storages[1]);
        Assert.Contains(Cluster.Silos[0].ServiceProvider.GetServices<ILifecycleParticipant<ISiloLifecycle>>(), participant => ReferenceEquals(participant, storages[0]));

        // Started by the silo lifecycle: a write through one silo's provider is read through the other's.
        var grain = GrainId.Create("direct", "through-the-provider");
        var written = new GrainState<Conformance.Note>(new Conformance.Note { Text = "shared" });
        await storages[0].WriteStateAsync("state", grain, written);
        var read = new GrainState<Conformance.Note>();
        await storages[1].ReadStateAsync("state", grain, read);
        Assert.Equal("shared", read.State!.Text);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(File.Exists(Path.Combine(_directory.Path, "helamem.db")));
    }

    [Fact]
    public async Task Grain_state_and_reminders_survive_a_killed_silo_and_are_read_by_the_other()
    {
        const int grains = 24;
        var refs = Enumerable.Range(0, grains).Select(i => Cluster.Client.GetGrain<INoteGrain>($"fixture/alice/{i}")).ToList();
        for (var i = 0; i < grains; i++)
        {
            await refs[i].SetText($"note {i}");
            await refs[i].RegisterReminder("consolidate");
        }

        var victim = Cluster.Silos[1];
        var onVictim = refs.Count(grain => Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) && context.Address.SiloAddress == victim.SiloAddress);
        Assert.True(onVictim > 0, "no grain was activated on the silo to be killed; the test would prove nothing");

        await Cluster.KillSiloAsync(victim);

        for (var i = 0; i < grains; i++)
        {
            Assert.Equal($"note {i}", await refs[i].GetText());
            Assert.True(await refs[i].HasReminder("consolidate"));
        }

        // The rows are where the previous release kept them, under the grain type and string key.
        await using var table = await SqliteTestStores.StartedRemindersAsync(_directory.Path);
        var row = await table.ReadRow(GrainId.Create(NoteGrain.GrainTypeName, "fixture/alice/0"), "consolidate");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromHours(1), row.Period);
    }

    [Fact]
    public async Task A_stale_write_from_a_second_activation_is_refused_and_the_grain_recovers_by_rereading()
    {
        var grain = Cluster.Client.GetGrain<INoteGrain>("fixture/bob");
        await grain.SetText("first");

        // Another writer (as a second silo's stray activation would) changes the row behind the grain's back.
        var storage = Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(NoteGrain.StorageName);
        var behind = new GrainState<Conformance.Note>();
        await storage.ReadStateAsync(NoteGrain.StateName, grain.GetGrainId(), behind);
        behind.State!.Text = "written behind the grain's back";
        await storage.WriteStateAsync(NoteGrain.StateName, grain.GetGrainId(), behind);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetText("stale"));
        Assert.Equal(behind.ETag, conflict.StoredEtag);

        // Orleans deactivates the activation after the conflict; the next call reads the stored state again.
        await Cluster.DeactivateAsync(grain.GetGrainId());
        Assert.Equal("written behind the grain's back", await grain.GetText());
        await grain.SetText("after re-reading");
        Assert.Equal("after re-reading", await grain.GetText());
    }

    [Fact]
    public async Task Stopping_the_silos_drains_and_closes_the_database()
    {
        var grain = Cluster.Client.GetGrain<INoteGrain>("fixture/carol");
        await grain.SetText("last words");
        var storages = Cluster.Silos.Select(silo => (SqliteGrainStorage)silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(NoteGrain.StorageName)).ToList();

        await Cluster.StopAllSilosAsync();

        // Every connection is closed: SQLite checkpoints and removes the write-ahead log when the last one closes.
        Assert.False(File.Exists(Path.Combine(_directory.Path, "helamem.db-wal")), "a connection to the database is still open after the silos stopped");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storages[0].ReadStateAsync("state", grain.GetGrainId(), new GrainState<Conformance.Note>()));
        await using var reopened = await SqliteTestStores.StartedStorageAsync(_directory.Path, name: NoteGrain.StorageName);
        var read = new GrainState<Conformance.Note>();
        // Under the grain type the grain declares and its string key, as the previous release stored state.
        Assert.Equal(GrainId.Create(NoteGrain.GrainTypeName, "fixture/carol"), grain.GetGrainId());
        await reopened.ReadStateAsync(NoteGrain.StateName, GrainId.Create(NoteGrain.GrainTypeName, "fixture/carol"), read);
        Assert.Equal("last words", read.State!.Text);
    }
}
