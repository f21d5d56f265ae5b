namespace HelaMem.Runtime.Storage;

/// <summary>
/// Thrown when a state write or clear presents an ETag that no longer matches the stored one: another
/// writer (or an earlier activation) changed the state since it was read. Nothing was written.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception with a message naming the key and both ETags.</summary>
    public InconsistentStateException(GrainStateKey key, string? expectedETag, string? storedETag)
        : base($"Inconsistent state for {key}: the write expected ETag '{expectedETag ?? "<none>"}' but the store holds '{storedETag ?? "<none>"}'. Nothing was written.")
    {
        Key = key;
        ExpectedETag = expectedETag;
        StoredETag = storedETag;
    }

    /// <summary>Creates the exception with a message.</summary>
    public InconsistentStateException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public InconsistentStateException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public InconsistentStateException()
    {
    }

    /// <summary>The state whose write failed, when known.</summary>
    public GrainStateKey? Key { get; }

    /// <summary>The ETag the writer presented.</summary>
    public string? ExpectedETag { get; }

    /// <summary>The ETag in the store at the time of the write, when the provider knows it.</summary>
    public string? StoredETag { get; }
}
