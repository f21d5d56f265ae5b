using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>
/// A call is in its silo's response-timeout wheel exactly while it is pending: completed, failed, cancelled and
/// timed-out calls leave it at once, so they do not stay reachable (and survive garbage collections) until their
/// deadline.
/// </summary>
public sealed class ResponseTimeoutWheelTests
{
    [Fact]
    public async Task Calls_leave_the_timeout_wheel_when_they_complete_and_a_pending_call_stays_in_it()
    {
        await using var harness = await Harness.StartAsync(options: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var wheel = harness.Cluster.Primary.Silo.TimeoutWheel;
        var counter = harness.Grains.GetGrain<ICounterGrain>("wheel");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => counter.Add(1)));
        Assert.Equal(0, wheel.Count);

        var gate = harness.Grains.GetGrain<IGateGrain>("wheel", "gate");
        var blocked = gate.Block("w");
        await harness.Probe.WaitAsync("entered w");
        Assert.Equal(1, wheel.Count);

        harness.Probe.Set("open w");
        await blocked;
        Assert.Equal(0, wheel.Count);
        Assert.Equal(200, await counter.Current());
    }

    [Fact]
    public async Task Failed_and_cancelled_calls_leave_the_timeout_wheel_too()
    {
        await using var harness = await Harness.StartAsync(options: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var wheel = harness.Cluster.Primary.Silo.TimeoutWheel;
        var gate = harness.Grains.GetGrain<IGateGrain>("wheel-cancel", "reentrant-gate");

        using var cancellation = new CancellationTokenSource();
        var waiting = gate.WaitForCancellation("c", cancellation.Token);
        await harness.Probe.WaitAsync("entered c");
        Assert.Equal(1, wheel.Count);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, wheel.Count);

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Grains.GetGrain<ICounterGrain>("wheel-fail").Fail("no"));
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public async Task A_timed_out_call_leaves_the_timeout_wheel()
    {
        await using var harness = await Harness.StartAsync(options: o => o.ResponseTimeout = TimeSpan.FromMilliseconds(200));
        var wheel = harness.Cluster.Primary.Silo.TimeoutWheel;
        var gate = harness.Grains.GetGrain<IGateGrain>("wheel-timeout", "gate");

        await Assert.ThrowsAsync<TimeoutException>(() => gate.Block("t"));

        Assert.Equal(0, wheel.Count);
        harness.Probe.Set("open t");
    }
}
