using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>The embedded default: state and reminders in SQLite survive silo restarts (graceful and killed).</summary>
public sealed class SqliteClusterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helamem-runtime-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task State_survives_a_killed_and_a_restarted_silo()
    {
        await using (var harness = await Harness.StartAsync(configure: b => b.UseSqliteStorage(_directory)))
        {
            var grain = harness.Grains.GetGrain<IStateGrain>("durable");
            await grain.IncrementAndWrite();
            await grain.IncrementAndWrite();

            var restarted = await harness.Cluster.RestartSiloAsync(harness.Cluster.Primary, kill: true);

            Assert.Equal(3, await grain.IncrementAndWrite());
            Assert.Equal("silo-0", restarted.Name);
        }

        // A whole new cluster over the same data directory sees the state too.
        await using var again = await Harness.StartAsync(configure: b => b.UseSqliteStorage(_directory));
        Assert.Equal(3, await again.Grains.GetGrain<IStateGrain>("durable").Current());
    }

    [Fact]
    public async Task Buffered_state_flushed_by_graceful_shutdown_is_on_disk_for_the_next_cluster()
    {
        await using (var harness = await Harness.StartAsync(silos: 2, configure: b => b.UseSqliteStorage(_directory)))
        {
            await harness.Grains.GetGrain<IBufferedGrain>("flush").Store(42);
            await harness.Cluster.StopAllSilosAsync();
        }

        await using var again = await Harness.StartAsync(configure: b => b.UseSqliteStorage(_directory));
        Assert.Equal(42, await again.Grains.GetGrain<IBufferedGrain>("flush").Current());
    }

    [Fact]
    public async Task A_reminder_in_sqlite_fires_again_after_the_whole_cluster_restarts()
    {
        await using (var harness = await Harness.StartAsync(configure: b => b.UseSqliteStorage(_directory)))
        {
            await harness.Grains.GetGrain<IReminderGrain>("r").Start(periodMs: 150);
            await harness.Probe.WaitForCountAsync("ticks:r", 1);
        }

        // Nothing activates the grain: the new silo finds the reminder in the table and wakes it.
        await using var again = await Harness.StartAsync(configure: b => b.UseSqliteStorage(_directory));
        await again.Probe.WaitForCountAsync("ticks:r", 2);
        Assert.True(await again.Grains.GetGrain<IReminderGrain>("r").Cancel());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
