namespace HelaMem.Runtime.Tests.Grains;

public sealed class CounterState
{
    public int Value { get; set; }
}

/// <summary>A persistent counter with explicit writes.</summary>
public interface IStateGrain : IGrainWithStringKey
{
    Task<int> IncrementAndWrite();

    Task<int> Current();

    Task<string?> ETag();

    Task<bool> RecordExists();

    Task Clear();

    Task Reload();
}

[GrainType("state")]
public sealed class StateGrain([PersistentState("counter")] IPersistentState<CounterState> counter) : Grain, IStateGrain
{
    public async Task<int> IncrementAndWrite()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Current() => Task.FromResult(counter.State.Value);

    public Task<string?> ETag() => Task.FromResult(counter.Etag);

    public Task<bool> RecordExists() => Task.FromResult(counter.RecordExists);

    public Task Clear() => counter.ClearStateAsync();

    public Task Reload() => counter.ReadStateAsync();
}

/// <summary>Keeps changes in memory and writes them only in OnDeactivateAsync (graceful shutdown must flush them).</summary>
public interface IBufferedGrain : IGrainWithStringKey
{
    Task Store(int value);

    Task<int> Current();
}

[GrainType("buffered")]
public sealed class BufferedGrain([PersistentState("buffer")] IPersistentState<CounterState> buffer) : Grain, IBufferedGrain
{
    private bool _dirty;

    public Task Store(int value)
    {
        buffer.State.Value = value;
        _dirty = true;
        return Task.CompletedTask;
    }

    public Task<int> Current() => Task.FromResult(buffer.State.Value);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await buffer.WriteStateAsync(cancellationToken);
        }
    }
}

/// <summary>The second version of a stored type: two members were added since the first.</summary>
public sealed record ProfileV2(string Name, int Age)
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string Locale { get; init; } = "en";
}

public interface IProfileGrain : IGrainWithStringKey
{
    Task<ProfileV2> Load();

    Task Save(ProfileV2 profile);
}

[GrainType("profile")]
public sealed class ProfileGrain([PersistentState("profile")] IPersistentState<ProfileV2> stored) : Grain, IProfileGrain
{
    public Task<ProfileV2> Load() => Task.FromResult(stored.State);

    public Task Save(ProfileV2 profile)
    {
        stored.State = profile;
        return stored.WriteStateAsync();
    }
}

/// <summary>Two named states in two storage providers.</summary>
public interface ITwoStatesGrain : IGrainWithStringKey
{
    Task Write(int a, int b);

    Task<(int A, int B)> Read();
}

[GrainType("two-states")]
public sealed class TwoStatesGrain(
    [PersistentState("a")] IPersistentState<CounterState> first,
    [PersistentState("b", "Archive")] IPersistentState<CounterState> second) : Grain, ITwoStatesGrain
{
    public async Task Write(int a, int b)
    {
        first.State.Value = a;
        second.State.Value = b;
        await Task.WhenAll(first.WriteStateAsync(), second.WriteStateAsync());
    }

    public Task<(int A, int B)> Read() => Task.FromResult((first.State.Value, second.State.Value));
}
