namespace HelaMem.Grains.State;

/// <summary>
/// Runs a grain's storage writes one after another. The write-behind timers of the user graph and the memory nodes
/// interleave with requests, so that a retrieval never waits while a flush waits for the disk (an fsync with
/// synchronous=FULL); a write a request makes meanwhile must then wait for the flush, or both would carry the same
/// ETag and the second would be refused.
/// </summary>
/// <remarks>
/// Used only from the grain's own turns, which Orleans runs one at a time: reading and replacing the tail needs no lock.
/// Each operation starts when the previous one has finished, successfully or not, and sees the state as it is then.
/// </remarks>
internal sealed class OrderedWrites
{
    private Task _tail = Task.CompletedTask;

    /// <summary>Whether a write is running or waiting.</summary>
    public bool Busy => !_tail.IsCompleted;

    /// <summary>Runs <paramref name="write"/> after every write queued before it.</summary>
    public async Task RunAsync(Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var previous = _tail;
        var done = new TaskCompletionSource();
        _tail = done.Task;
        try
        {
            await previous;
            await write();
        }
        finally
        {
            done.SetResult();
        }
    }
}
