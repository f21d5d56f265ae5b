using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>Grain references, generated proxies and invokers, return kinds, errors reaching the caller.</summary>
public sealed class ProgrammingModelTests
{
    [Fact]
    public async Task A_call_through_a_generated_proxy_reaches_the_grain_and_returns_its_result()
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>("c1");

        Assert.Equal(5, await counter.Add(5));
        Assert.Equal(7, await counter.Add(2));
        Assert.Equal(7, await counter.Current());
        Assert.Equal("hello", await counter.Echo("hello"));
        await counter.Touch();
    }

    [Fact]
    public async Task Grains_with_different_keys_have_separate_state()
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;

        await cluster.GrainFactory.GetGrain<ICounterGrain>("a").Add(1);
        await cluster.GrainFactory.GetGrain<ICounterGrain>("b").Add(10);

        Assert.Equal(1, await cluster.GrainFactory.GetGrain<ICounterGrain>("a").Current());
        Assert.Equal(10, await cluster.GrainFactory.GetGrain<ICounterGrain>("b").Current());
    }

    [Fact]
    public async Task An_exception_reaches_the_caller_with_its_type_and_message()
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => cluster.GrainFactory.GetGrain<ICounterGrain>("c").Fail("the input was bad"));

        Assert.StartsWith("the input was bad", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await cluster.GrainFactory.GetGrain<ICounterGrain>("c").Current());
    }

    [Fact]
    public async Task References_are_equal_by_grain_and_expose_their_grain_id()
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;

        var first = cluster.GrainFactory.GetGrain<ICounterGrain>("t/u");
        var second = cluster.Primary.GrainFactory.GetGrain<ICounterGrain>("t/u");

        Assert.Equal(first, second);
        Assert.Equal(new GrainId("counter", "t/u"), first.GetGrainId());
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    public async Task Invalid_keys_are_refused_with_a_clear_error(string key)
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;

        var error = Assert.Throws<ArgumentException>(() => cluster.GrainFactory.GetGrain<ICounterGrain>(key));
        Assert.Contains("grain key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interface_with_several_implementations_needs_the_grain_type()
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;

        var error = Assert.Throws<InvalidOperationException>(() => cluster.GrainFactory.GetGrain<IGateGrain>("g"));
        Assert.Contains("gate", error.Message, StringComparison.Ordinal);
        Assert.Contains("reentrant-gate", error.Message, StringComparison.Ordinal);

        await cluster.GrainFactory.GetGrain<IGateGrain>("g", "reentrant-gate").Ping();
    }

    [Fact]
    public async Task A_plain_class_grain_gets_its_context_injected()
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;

        Assert.Equal("silo-0", await cluster.GrainFactory.GetGrain<INodeGrain>("t/u/n").Silo());
        Assert.Equal(8, await cluster.GrainFactory.GetGrain<INodeGrain>("t/u/n").Contribute(4));
    }

    [Fact]
    public async Task Local_calls_pass_arguments_by_reference_without_copying()
    {
        await using var harness = await Harness.StartAsync();
        var cluster = harness.Cluster;
        var profile = new ProfileV2("Ada", 36) { Tags = ["math"] };

        var grain = cluster.GrainFactory.GetGrain<IProfileGrain>("ref");
        await grain.Save(profile);

        Assert.Same(profile, await grain.Load());
    }
}
