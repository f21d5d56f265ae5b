using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>Durable reminders (owning silo, restarts, validation) and grain timers.</summary>
public sealed class ReminderAndTimerTests
{
    [Fact]
    public async Task A_reminder_ticks_periodically_until_it_is_unregistered()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IReminderGrain>("r");

        await grain.Start(periodMs: 100);
        await harness.Probe.WaitForCountAsync("ticks:r", 3);

        Assert.True(await grain.Exists());
        Assert.True(await grain.Cancel());
        Assert.False(await grain.Exists());
        Assert.Empty(await harness.Cluster.MemoryReminders!.ReadAllAsync());
    }

    [Fact]
    public async Task A_reminder_fires_only_on_the_silo_that_owns_its_grain()
    {
        await using var harness = await Harness.StartAsync(silos: 3);
        var grains = Enumerable.Range(0, 6).Select(i => harness.Grains.GetGrain<IReminderGrain>($"own{i}")).ToList();
        foreach (var grain in grains)
        {
            await grain.Start(periodMs: 100);
        }

        await harness.Cluster.WaitForStableAsync();
        for (var i = 0; i < grains.Count; i++)
        {
            await harness.Probe.WaitForCountAsync($"ticks:own{i}", 2);
        }

        Assert.Equal(6, harness.Cluster.Silos.Sum(s => s.Silo.LocalReminderCount));
        for (var i = 0; i < grains.Count; i++)
        {
            var host = harness.Cluster.FindHostingSilo(grains[i].GetGrainId())!;
            var ticks = harness.Probe.Log.Where(e => e.StartsWith($"tick own{i} ", StringComparison.Ordinal)).ToList();
            Assert.All(ticks, tick => Assert.EndsWith($"on {host.Silo.Address}", tick, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_reminder_survives_the_restart_of_its_silo()
    {
        await using var harness = await Harness.StartAsync();
        await harness.Grains.GetGrain<IReminderGrain>("survivor").Start(periodMs: 100);
        await harness.Probe.WaitForCountAsync("ticks:survivor", 1);

        var restarted = await harness.Cluster.RestartSiloAsync(harness.Cluster.Primary, kill: true);

        await harness.Probe.WaitForCountAsync($"ticks:survivor:{restarted.Silo.Address}", 2);
    }

    [Fact]
    public async Task A_reminder_moves_to_a_surviving_silo_when_its_owner_dies()
    {
        await using var harness = await Harness.StartAsync(silos: 2);
        var keys = Enumerable.Range(0, 6).Select(i => $"move{i}").ToList();
        foreach (var key in keys)
        {
            await harness.Grains.GetGrain<IReminderGrain>(key).Start(periodMs: 100);
        }

        var victim = harness.Cluster.Silos[0];
        await harness.Cluster.KillSiloAsync(victim);
        await harness.Cluster.WaitForStableAsync();

        var survivor = harness.Cluster.Silos.Single();
        Assert.Equal(keys.Count, survivor.Silo.LocalReminderCount);
        foreach (var key in keys)
        {
            await harness.Probe.WaitForCountAsync($"ticks:{key}:{survivor.Silo.Address}", 1);
        }
    }

    [Fact]
    public async Task A_reminder_period_below_the_minimum_is_refused()
    {
        await using var harness = await Harness.StartAsync(options: o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Grains.GetGrain<IReminderGrain>("fast").Start(periodMs: 100));

        Assert.Contains("MinimumReminderPeriod", error.Message, StringComparison.Ordinal);
        Assert.Empty(await harness.Cluster.MemoryReminders!.ReadAllAsync());
    }

    [Fact]
    public async Task A_grain_that_is_not_remindable_cannot_register_a_reminder()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Grains.GetGrain<INotRemindableGrain>("n").TryRegister());

        Assert.Contains("IRemindable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grain_timer_ticks_as_turns_and_stops_with_its_activation()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IIsolationGrain>("timer");
        await grain.StartTimer(periodMs: 10);

        for (var i = 0; i < 50 && (await grain.Report()).TimerTicks < 5; i++)
        {
            await Task.Delay(20);
        }

        var report = await grain.Report();
        Assert.True(report.TimerTicks >= 5, $"only {report.TimerTicks} ticks");
        Assert.Equal(0, report.Overlaps);

        await harness.Cluster.DeactivateGrainAsync(grain);
        Assert.Equal(0, (await grain.Report()).TimerTicks); // a new activation has no timer
    }
}
