using System.Text;
using System.Text.Json;
using HelaMem.Persistence.Memory;
using HelaMem.Runtime.Storage;
using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>Injected named state: read before activation, explicit write and clear, ETags, version tolerance.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task State_is_read_before_activation_and_survives_deactivation()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IStateGrain>("p");
        Assert.False(await grain.RecordExists());

        await grain.IncrementAndWrite();
        await grain.IncrementAndWrite();
        await harness.Cluster.DeactivateGrainAsync(grain);

        Assert.True(await grain.RecordExists());
        Assert.Equal(2, await grain.Current());
        Assert.NotNull(await grain.ETag());
    }

    [Fact]
    public async Task Clearing_deletes_the_record_and_resets_the_state()
    {
        await using var harness = await Harness.StartAsync();
        var grain = harness.Grains.GetGrain<IStateGrain>("c");
        await grain.IncrementAndWrite();

        await grain.Clear();

        Assert.Equal(0, await grain.Current());
        Assert.Null(await harness.Cluster.MemoryStorage!.ReadAsync(new GrainStateKey("state", "c", "counter")));
        await harness.Cluster.DeactivateGrainAsync(grain);
        Assert.False(await grain.RecordExists());
    }

    [Fact]
    public async Task A_stale_writer_gets_an_inconsistent_state_error_and_overwrites_nothing()
    {
        await using var harness = await Harness.StartAsync();
        var storage = harness.Cluster.MemoryStorage!;
        var grain = harness.Grains.GetGrain<IStateGrain>("etag");
        await grain.IncrementAndWrite();

        // Another writer (e.g. an activation on a partitioned silo) changes the record behind the grain's back.
        var key = new GrainStateKey("state", "etag", "counter");
        var current = await storage.ReadAsync(key);
        await storage.WriteAsync(key, Encoding.UTF8.GetBytes("""{"Value":100}"""), current!.ETag);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.IncrementAndWrite());

        Assert.Contains("etag", error.Message, StringComparison.Ordinal);
        var stored = await storage.ReadAsync(key);
        Assert.Equal(100, JsonSerializer.Deserialize<CounterState>(stored!.Payload.Span)!.Value);

        await grain.Reload(); // the grain recovers by re-reading
        Assert.Equal(101, await grain.IncrementAndWrite());
    }

    [Fact]
    public async Task State_written_by_an_older_version_of_the_type_still_loads()
    {
        await using var harness = await Harness.StartAsync();
        // Version 1 of the profile had only Name and Age; a later version also wrote a member since removed.
        await harness.Cluster.MemoryStorage!.WriteAsync(
            new GrainStateKey("profile", "old", "profile"),
            Encoding.UTF8.GetBytes("""{"Name":"Ada","Age":36,"Retired":"member of a newer version"}"""),
            expectedETag: null);

        var profile = await harness.Grains.GetGrain<IProfileGrain>("old").Load();

        Assert.Equal("Ada", profile.Name);
        Assert.Equal(36, profile.Age);
        Assert.Empty(profile.Tags);
        Assert.Equal("en", profile.Locale);
    }

    [Fact]
    public async Task A_state_without_a_parameterless_constructor_starts_from_its_defaults()
    {
        await using var harness = await Harness.StartAsync();

        var profile = await harness.Grains.GetGrain<IProfileGrain>("new").Load();

        Assert.Null(profile.Name);
        Assert.Equal(0, profile.Age);
        Assert.Equal("en", profile.Locale);
    }

    [Fact]
    public async Task Corrupt_stored_state_fails_the_activation_with_a_clear_error()
    {
        await using var harness = await Harness.StartAsync();
        await harness.Cluster.MemoryStorage!.WriteAsync(new GrainStateKey("state", "bad", "counter"), Encoding.UTF8.GetBytes("{not json"), null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Grains.GetGrain<IStateGrain>("bad").Current());

        Assert.Contains("state/bad#counter", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Cluster.Primary.Silo.ActiveGrains);
    }

    [Fact]
    public async Task Named_states_go_to_their_named_storage_providers()
    {
        var archive = new InMemoryGrainStorage("Archive");
        await using var harness = await Harness.StartAsync(configure: b => b.ConfigureSilo(s => s.AddGrainStorage("Archive", archive)));
        var grain = harness.Grains.GetGrain<ITwoStatesGrain>("two");

        await grain.Write(1, 2);
        await harness.Cluster.DeactivateGrainAsync(grain);

        Assert.Equal((1, 2), await grain.Read());
        Assert.NotNull(await archive.ReadAsync(new GrainStateKey("two-states", "two", "b")));
        Assert.Null(await archive.ReadAsync(new GrainStateKey("two-states", "two", "a")));
    }

    [Fact]
    public async Task A_state_in_a_missing_storage_provider_fails_activation_naming_the_provider()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Grains.GetGrain<ITwoStatesGrain>("none").Read());

        Assert.Contains("'Archive'", error.Message, StringComparison.Ordinal);
    }
}
