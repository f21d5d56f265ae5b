using Orleans.Storage;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// One write or clear waiting for the group-commit writer, with its own outcome. The writer claims it before
/// touching the database and a cancellation can only win before that, so a cancelled write is never applied
/// and an applied write always reports its real outcome.
/// </summary>
internal sealed class PendingWrite
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<string?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    /// <summary>A write of <paramref name="payload"/>, or a clear when <paramref name="payload"/> is null.</summary>
    public PendingWrite(StateKey key, byte[]? payload, string? expectedETag)
    {
        Key = key;
        Payload = payload;
        ExpectedETag = expectedETag;
    }

    public StateKey Key { get; }

    /// <summary>The bytes to store (the provider's own copy); null for a clear.</summary>
    public byte[]? Payload { get; }

    public string? ExpectedETag { get; }

    public Task<string?> Completion => _completion.Task;

    /// <summary>The new ETag of a successful write, set by the writer inside the transaction.</summary>
    public string? NewETag { get; private set; }

    /// <summary>The conflict found inside the transaction, reported only once the transaction has committed.</summary>
    public InconsistentStateException? Conflict { get; private set; }

    internal CancellationTokenRegistration CancellationRegistration { get; set; }

    /// <summary>The writer takes the request; false when the caller cancelled first.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    /// <summary>The caller's cancellation; false when the writer already claimed the request.</summary>
    public bool TryCancel(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) != Queued)
        {
            return false;
        }

        _completion.TrySetCanceled(cancellationToken);
        return true;
    }

    public void Succeeded(string? newETag)
    {
        NewETag = newETag;
        Conflict = null;
    }

    public void Conflicted(InconsistentStateException conflict)
    {
        NewETag = null;
        Conflict = conflict;
    }

    /// <summary>Reports the outcome recorded during the batch (called after the commit).</summary>
    public void Complete()
    {
        CancellationRegistration.Dispose();
        if (Conflict is not null)
        {
            _completion.TrySetException(Conflict);
        }
        else
        {
            _completion.TrySetResult(NewETag);
        }
    }

    public void Fail(Exception error)
    {
        CancellationRegistration.Dispose();
        _completion.TrySetException(error);
    }
}
