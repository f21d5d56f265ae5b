using HelaMem.Runtime.Filters;
using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>Request context flowing through call chains and silos; incoming and outgoing call filters.</summary>
public sealed class ContextAndFilterTests
{
    [Fact]
    public async Task Tenant_trace_deadline_and_custom_values_flow_through_a_call_chain_across_silos()
    {
        await using var harness = await Harness.StartAsync(silos: 3);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        RequestContext.Tenant = "t1";
        RequestContext.TraceId = "trace-123";
        RequestContext.Deadline = deadline;
        RequestContext.Set("custom", "value");
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var seen = await harness.Grains.GetGrain<IContextGrain>($"a{i}").RelayTo($"b{i}");
                Assert.Equal(new ContextSnapshot("t1", "trace-123", deadline, "value"), seen);
            }
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task A_grain_that_changes_the_context_affects_its_own_calls_not_its_caller()
    {
        await using var harness = await Harness.StartAsync();
        RequestContext.Tenant = "outer";
        try
        {
            var seen = await harness.Grains.GetGrain<IContextGrain>("x").ChangeTenantAndRelay("inner", "y");
            Assert.Equal("inner", seen.Tenant);
            Assert.Equal("outer", RequestContext.Tenant);
            Assert.Equal("outer", (await harness.Grains.GetGrain<IContextGrain>("z").Snapshot()).Tenant);
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task Without_a_context_nothing_leaks_from_earlier_requests()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IContextGrain>("leak");
        RequestContext.Tenant = "t1";
        await grain.Snapshot();
        RequestContext.Clear();

        Assert.Equal(new ContextSnapshot(null, null, null, null), await grain.Snapshot());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_callers_own_async_locals_never_leak_into_grain_code(bool inlineExecution)
    {
        await using var harness = await Harness.StartAsync(options: o => o.InlineExecution = inlineExecution);
        var grain = harness.Grains.GetGrain<IContextGrain>("locals");
        await grain.Snapshot(); // activated and idle: the next call may run inline on this thread

        TestProbe.CallerLocal.Value = "caller's secret";
        try
        {
            Assert.Null(await grain.CallerAsyncLocal());
        }
        finally
        {
            TestProbe.CallerLocal.Value = null;
        }
    }

    [Fact]
    public async Task An_incoming_filter_can_reject_cross_tenant_calls()
    {
        await using var harness = await Harness.StartAsync(configure: b => b.ConfigureSilo(s => s.AddIncomingGrainCallFilter(new TenantGuard())));
        RequestContext.Tenant = "t1";
        try
        {
            Assert.Equal(2, await harness.Grains.GetGrain<ICounterGrain>("t1/u").Add(2));
            var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => harness.Grains.GetGrain<ICounterGrain>("t2/u").Add(2));
            Assert.Contains("t2/u", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            RequestContext.Clear();
        }

        Assert.Equal(0, await harness.Grains.GetGrain<ICounterGrain>("t2/u").Current());
    }

    [Fact]
    public async Task An_outgoing_filter_sees_every_call_a_silo_sends_including_grain_to_grain_calls()
    {
        var recorder = new OutgoingRecorder();
        await using var harness = await Harness.StartAsync(configure: b => b.ConfigureSilo(s => s.AddOutgoingGrainCallFilter(recorder)));

        Assert.Equal(2 * 6, await harness.Grains.GetGrain<IGraphGrain>("t/f").FanOut(4));

        var calls = recorder.Calls.ToList();
        Assert.Contains("client -> HelaMem.Runtime.Tests.Grains.IGraphGrain.FanOut", calls);
        Assert.Equal(4, calls.Count(c => c == "graph/t/f -> HelaMem.Runtime.Tests.Grains.INodeGrain.Contribute"));
    }

    [Fact]
    public async Task An_outgoing_filter_that_throws_fails_the_call_before_it_is_sent()
    {
        await using var harness = await Harness.StartAsync(configure: b => b.ConfigureSilo(s => s.AddOutgoingGrainCallFilter(new RefuseAll())));

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Grains.GetGrain<ICounterGrain>("refused").Add(1));

        Assert.Equal(0, harness.Probe.Count("activate:refused"));
    }

    private sealed class TenantGuard : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context)
        {
            var tenant = context.RequestContext?.Tenant;
            if (tenant is not null && !context.TargetId.Key.StartsWith(tenant + "/", StringComparison.Ordinal))
            {
                throw new UnauthorizedAccessException($"Tenant '{tenant}' may not call {context.TargetId}.");
            }

            return context.Invoke();
        }
    }

    private sealed class OutgoingRecorder : IOutgoingGrainCallFilter
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Calls { get; } = new();

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            Calls.Enqueue($"{context.SourceId?.ToString() ?? "client"} -> {context.InterfaceName}.{context.MethodName}");
            await context.Invoke();
        }
    }

    private sealed class RefuseAll : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context) => throw new InvalidOperationException("refused by filter");
    }
}
