using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>
/// A grain could not read or write its state because the shared storage did not answer (a database down, a storage
/// account unreachable). Thrown in place of the storage client's own exception when a grain call fails that way, so it
/// can travel back to the calling silo (Orleans has no codec for the clients' exception types) and be answered with 503.
/// A write may or may not have been applied: the caller retries (an ingest with its idempotency key).
/// </summary>
[GenerateSerializer, Alias("helamem.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
        : base("The storage is unavailable; retry shortly.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause (not carried to another silo).</summary>
    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
