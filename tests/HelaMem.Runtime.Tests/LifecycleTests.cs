using System.Text.Json;
using HelaMem.Runtime.Messaging;
using HelaMem.Runtime.Storage;
using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>Activation on first call, single activation, deactivation and idle collection, graceful shutdown.</summary>
public sealed class LifecycleTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Many_concurrent_first_calls_through_every_silo_create_exactly_one_activation(bool inlineExecution)
    {
        await using var harness = await Harness.StartAsync(silos: 3, options: o => o.InlineExecution = inlineExecution);
        var entries = harness.Cluster.Silos.Select(s => s.GrainFactory).Append(harness.Grains).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Task.Run(() => entries[i % entries.Count].GetGrain<ICounterGrain>("single").Add(1))));

        Assert.Equal(1, harness.Probe.Count("activate:single"));
        Assert.Equal(Enumerable.Range(1, 300), results.Order());
        Assert.Single(harness.Cluster.Silos, s => s.Silo.ActiveGrains.Contains(new GrainId("counter", "single")));
    }

    [Fact]
    public async Task A_failed_activation_fails_every_queued_call_with_its_error_and_the_next_call_retries()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IFlakyActivationGrain>("f");

        var calls = Enumerable.Range(0, 5).Select(_ => grain.Answer()).ToList();
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => call);
            Assert.Equal("dependency of f is down", error.Message);
        }

        Assert.Empty(harness.Cluster.Primary.Silo.ActiveGrains);
        harness.Probe.Set("healthy");
        Assert.Equal(42, await grain.Answer());
        // Calls issued after a failure are retried on a new activation, so at least one failed and one good activation.
        Assert.True(harness.Probe.Count("flaky-activations") >= 2);
    }

    [Fact]
    public async Task DeactivateOnIdle_ends_the_activation_after_the_request_and_the_next_call_activates_anew()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<ICounterGrain>("bye");
        await grain.Add(3);

        await grain.DeactivateSoon();
        await harness.Probe.WaitAsync("deactivated:bye");

        Assert.Contains("deactivate:bye:ApplicationRequested", harness.Probe.Log);
        Assert.Equal(0, await grain.Current()); // in-memory fields are gone with the old activation
        Assert.Equal(2, harness.Probe.Count("activate:bye"));
    }

    [Fact]
    public async Task Idle_activations_are_collected_after_their_age_and_busy_ones_are_kept()
    {
        await using var harness = await Harness.StartAsync();
        await harness.Grains.GetGrain<IShortLivedGrain>("s").Touch();
        await harness.Grains.GetGrain<ICounterGrain>("long").Add(1);

        await harness.Probe.WaitAsync("deactivated:s");

        Assert.Contains("deactivate:s:IdleCollection", harness.Probe.Log);
        var active = harness.Cluster.Primary.Silo.ActiveGrains;
        Assert.DoesNotContain(new GrainId("short-lived", "s"), active);
        Assert.Contains(new GrainId("counter", "long"), active); // default age: 15 minutes
    }

    [Fact]
    public async Task The_silo_wide_collection_age_is_configurable_per_grain_type()
    {
        await using var harness = await Harness.StartAsync(options: o => o.ClassSpecificCollectionAge["counter"] = TimeSpan.FromMilliseconds(100));

        await harness.Grains.GetGrain<ICounterGrain>("quick").Add(1);

        await harness.Probe.WaitAsync("deactivated:quick");
        Assert.Contains("deactivate:quick:IdleCollection", harness.Probe.Log);
    }

    [Fact]
    public async Task A_forced_deactivation_runs_the_hook_and_keeps_persisted_state()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IStateGrain>("forced");
        await grain.IncrementAndWrite();

        Assert.True(await harness.Cluster.DeactivateGrainAsync(grain));
        Assert.False(await harness.Cluster.DeactivateGrainAsync(grain));

        Assert.Equal(1, await grain.Current());
    }

    [Fact]
    public async Task Graceful_shutdown_runs_every_deactivation_so_buffered_state_is_flushed()
    {
        await using var harness = await Harness.StartAsync(silos: 2);
        for (var i = 0; i < 20; i++)
        {
            await harness.Grains.GetGrain<IBufferedGrain>($"b{i}").Store(i + 100);
        }

        await harness.Cluster.StopAllSilosAsync();

        var storage = harness.Cluster.MemoryStorage!;
        for (var i = 0; i < 20; i++)
        {
            var record = await storage.ReadAsync(new GrainStateKey("buffered", $"b{i}", "buffer"));
            Assert.NotNull(record);
            Assert.Equal(i + 100, JsonSerializer.Deserialize<CounterState>(record.Payload.Span)!.Value);
        }
    }

    [Fact]
    public async Task A_stopping_silo_hands_its_grains_to_the_remaining_silos()
    {
        await using var harness = await Harness.StartAsync(silos: 2);
        var keys = Enumerable.Range(0, 20).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            await harness.Grains.GetGrain<IBufferedGrain>(key).Store(7);
        }

        var leaving = harness.Cluster.Silos[0];
        await harness.Cluster.StopSiloAsync(leaving);

        foreach (var key in keys)
        {
            Assert.Equal(7, await harness.Grains.GetGrain<IBufferedGrain>(key).Current());
        }

        Assert.Equal(20, harness.Cluster.Silos.Single().Silo.ActivationCount);
    }

    [Fact]
    public async Task A_stopped_silo_refuses_new_activations_with_a_clear_error()
    {
        await using var harness = await Harness.StartAsync();
        var silo = harness.Cluster.Primary;
        var factory = silo.GrainFactory;
        await harness.Cluster.StopSiloAsync(silo);

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => factory.GetGrain<ICounterGrain>("after-stop").Add(1));
        Assert.Contains("shutting down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_silo_loses_its_activations_and_its_grains_come_back_elsewhere_from_stored_state()
    {
        await using var harness = await Harness.StartAsync(silos: 2);
        var keys = Enumerable.Range(0, 10).Select(i => $"s{i}").ToList();
        foreach (var key in keys)
        {
            await harness.Grains.GetGrain<IStateGrain>(key).IncrementAndWrite();
        }

        await harness.Cluster.KillSiloAsync(harness.Cluster.Silos[0]);
        await harness.Cluster.WaitForStableAsync();

        foreach (var key in keys)
        {
            Assert.Equal(2, await harness.Grains.GetGrain<IStateGrain>(key).IncrementAndWrite());
        }
    }
}
