using HelaMem.Runtime.Messaging;
using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>Turn-based execution, the reentrancy modes, call cycles, timeouts, cancellation and queue limits.</summary>
public sealed class ExecutionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_requests_and_timer_ticks_never_overlap_and_lose_no_update(bool inlineExecution)
    {
        await using var harness = await Harness.StartAsync(options: o => o.InlineExecution = inlineExecution);
        var grain = harness.Grains.GetGrain<IIsolationGrain>("iso");
        await grain.StartTimer(periodMs: 2);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => grain.Advance()));
        var report = await grain.Report();

        Assert.Equal(200, report.Steps);
        Assert.Equal(0, report.Overlaps);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_non_reentrant_grain_runs_one_request_at_a_time(bool inlineExecution)
    {
        await using var harness = await Harness.StartAsync(options: o => o.InlineExecution = inlineExecution);
        var probe = harness.Probe;
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");

        var first = grain.Block("a");
        await probe.WaitAsync("entered a");
        var second = grain.Block("b");
        // b is queued behind a; give the runtime every chance to (wrongly) start it before a finishes.
        await grain.Interleaved("probe-1");
        await Task.Delay(50);
        probe.Set("open a");
        probe.Set("open b");
        await Task.WhenAll(first, second);

        var log = probe.Log.Where(e => e.StartsWith("enter", StringComparison.Ordinal) || e.StartsWith("exit", StringComparison.Ordinal)).ToList();
        Assert.Equal(["enter a", "exit a", "enter b", "exit b"], log);
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_requests_at_awaits()
    {
        await using var harness = await Harness.StartAsync();
        var probe = harness.Probe;
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "reentrant-gate");

        var first = grain.Block("a");
        await probe.WaitAsync("entered a");
        var second = grain.Block("b");
        await probe.WaitAsync("entered b"); // would time out if b had to wait for a
        probe.Set("open b");
        await second;
        Assert.False(first.IsCompleted);
        probe.Set("open a");
        await first;
    }

    [Fact]
    public async Task An_always_interleave_method_runs_while_another_request_is_blocked()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");

        var blocked = grain.Block("a");
        await harness.Probe.WaitAsync("entered a");

        Assert.Equal("x", await grain.Interleaved("x"));
        Assert.False(blocked.IsCompleted);
        harness.Probe.Set("open a");
        await blocked;
    }

    [Fact]
    public async Task Read_only_requests_run_together_but_not_with_a_writer()
    {
        await using var harness = await Harness.StartAsync();
        var probe = harness.Probe;
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");

        var reader1 = grain.BlockReadOnly("r1");
        await probe.WaitAsync("entered r1");
        var reader2 = grain.BlockReadOnly("r2");
        await probe.WaitAsync("entered r2"); // both readers inside at once
        var writer = grain.Block("w");
        await grain.Interleaved("probe");
        await Task.Delay(50);
        Assert.False(probe.IsSet("entered w"));

        probe.Set("open r1");
        probe.Set("open r2");
        probe.Set("open w");
        await Task.WhenAll(reader1, reader2, writer);
        var log = probe.Log.ToList();
        Assert.True(log.IndexOf("enter w") > log.IndexOf("exit r1"));
        Assert.True(log.IndexOf("enter w") > log.IndexOf("exit r2"));
    }

    [Fact]
    public async Task A_one_way_call_returns_before_the_grain_has_run_it()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");
        await grain.Ping();

        var call = grain.Fire("f");

        Assert.True(call.IsCompletedSuccessfully);
        Assert.False(harness.Probe.IsSet("fired f"));
        harness.Probe.Set("open f");
        await harness.Probe.WaitAsync("fired f");
    }

    [Fact]
    public async Task A_call_cycle_between_non_reentrant_grains_completes_through_call_chain_reentrancy()
    {
        // The response timeout is far longer than the test's patience: completing at all proves no deadlock.
        await using var harness = await Harness.StartAsync(options: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));

        var answer = await harness.Grains.GetGrain<ICycleGrain>("a").Ping("b", depth: 5).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("a>b>a>b>a>b", answer);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_call_cycle_across_silos_completes_too(bool inlineExecution)
    {
        await using var harness = await Harness.StartAsync(silos: 3, options: o =>
        {
            o.ResponseTimeout = TimeSpan.FromMinutes(5);
            o.InlineExecution = inlineExecution;
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => harness.Grains.GetGrain<ICycleGrain>($"x{i}").Ping($"y{i}", depth: 3)))
            .WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"x{i}>y{i}>x{i}>y{i}"), answers);
    }

    [Fact]
    public async Task A_request_that_takes_too_long_times_out_at_the_caller()
    {
        await using var harness = await Harness.StartAsync(options: o => o.ResponseTimeout = TimeSpan.FromMilliseconds(300));
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => grain.Block("never"));

        Assert.Contains("Block", error.Message, StringComparison.Ordinal);
        harness.Probe.Set("open never");
    }

    [Fact]
    public async Task A_request_context_deadline_shortens_the_timeout()
    {
        await using var harness = await Harness.StartAsync(options: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");

        RequestContext.Deadline = DateTimeOffset.UtcNow.AddMilliseconds(300);
        try
        {
            await Assert.ThrowsAsync<TimeoutException>(() => grain.Block("never"));
        }
        finally
        {
            RequestContext.Clear();
            harness.Probe.Set("open never");
        }
    }

    [Fact]
    public async Task A_passed_deadline_fails_the_call_without_sending_it()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<ICounterGrain>("late");

        RequestContext.Deadline = DateTimeOffset.UtcNow.AddSeconds(-1);
        try
        {
            await Assert.ThrowsAsync<TimeoutException>(() => grain.Add(1));
        }
        finally
        {
            RequestContext.Clear();
        }

        Assert.Equal(0, await grain.Current());
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_caller_and_reaches_the_grain_method()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");
        using var cancellation = new CancellationTokenSource();

        var call = grain.WaitForCancellation("c", cancellation.Token);
        await harness.Probe.WaitAsync("entered c");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await harness.Probe.WaitAsync("cancelled c");
    }

    [Fact]
    public async Task A_queued_request_whose_token_is_cancelled_never_runs()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");
        using var cancellation = new CancellationTokenSource();

        var blocker = grain.Block("a");
        await harness.Probe.WaitAsync("entered a");
        var queued = grain.WaitForCancellation("q", cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        harness.Probe.Set("open a");
        await blocker;
        await grain.Ping();

        Assert.False(harness.Probe.IsSet("entered q"));
    }

    [Fact]
    public async Task A_full_activation_queue_rejects_further_requests_with_a_clear_error()
    {
        await using var harness = await Harness.StartAsync(options: o => o.MaxPendingRequestsPerActivation = 2);
        var grain = harness.Grains.GetGrain<IGateGrain>("g", "gate");
        await grain.Ping();

        var running = grain.Block("a");
        await harness.Probe.WaitAsync("entered a");
        var queued = new[] { grain.Ping(), grain.Ping() };
        var error = await Assert.ThrowsAsync<GrainQueueFullException>(() => grain.Ping());

        Assert.Contains("2 pending requests", error.Message, StringComparison.Ordinal);
        harness.Probe.Set("open a");
        await running;
        await Task.WhenAll(queued);
        await grain.Ping(); // the queue drained: calls are accepted again
    }
}
