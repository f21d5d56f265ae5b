using System.Collections.Concurrent;

namespace HelaMem.Runtime.Tests;

/// <summary>
/// A singleton service shared by a test and the grains it drives: named one-shot signals (gates the test opens and
/// events the grains raise), counters whose every value can be awaited, and an ordered event log.
/// </summary>
public sealed class TestProbe
{
    /// <summary>An async-local a test sets on its own flow; grain code must never observe it.</summary>
    public static AsyncLocal<string?> CallerLocal { get; } = new();

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _log = new();

    public IReadOnlyList<string> Log => [.. _log];

    public void Record(string entry) => _log.Enqueue(entry);

    public void Set(string name) => Signal(name).TrySetResult();

    public bool IsSet(string name) => Signal(name).Task.IsCompleted;

    /// <summary>Waits for the signal; fails the test with the signal's name instead of hanging.</summary>
    public async Task WaitAsync(string name)
    {
        try
        {
            await Signal(name).Task.WaitAsync(WaitLimit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Signal '{name}' was not raised within {WaitLimit}. Log: {string.Join(" | ", _log)}");
        }
    }

    /// <summary>A task for grain code to await (a gate the test opens with <see cref="Set"/>).</summary>
    public Task Gate(string name) => Signal(name).Task;

    public int Increment(string counter)
    {
        var value = _counters.AddOrUpdate(counter, 1, (_, current) => current + 1);
        Set($"{counter}#{value}");
        return value;
    }

    public int Count(string counter) => _counters.TryGetValue(counter, out var value) ? value : 0;

    /// <summary>Waits until <paramref name="counter"/> has reached <paramref name="value"/>.</summary>
    public Task WaitForCountAsync(string counter, int value) => WaitAsync($"{counter}#{value}");

    private TaskCompletionSource Signal(string name) =>
        _signals.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
