using System.Collections.Concurrent;

namespace HelaMem.Embeddings.Tests.Fixtures;

/// <summary>
/// A synchronous progress sink (unlike <see cref="Progress{T}"/>, which posts to the thread pool), so that every
/// line is recorded by the time the operation returns; can signal when a line containing a text arrives.
/// </summary>
public sealed class RecordingProgress : IProgress<string>
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public Task WhenReported(string fragment) =>
        waiters.GetOrAdd(fragment, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Report(string value)
    {
        lines.Enqueue(value);
        foreach (var (fragment, waiter) in waiters)
        {
            if (value.Contains(fragment, StringComparison.Ordinal))
            {
                waiter.TrySetResult();
            }
        }
    }
}
