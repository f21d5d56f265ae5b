namespace HelaMem.Runtime.Messaging;

/// <summary>The target activation's request queue was full; the request was not queued and will not run.</summary>
public sealed class GrainQueueFullException : Exception
{
    /// <summary>Creates the exception for <paramref name="grainId"/>.</summary>
    public GrainQueueFullException(GrainId grainId, string methodName, int limit)
        : base($"Grain {grainId} rejected the call to {methodName}: its activation already holds {limit} pending requests (the per-activation limit). Retry later or raise SiloOptions.MaxPendingRequestsPerActivation.")
    {
        GrainId = grainId;
        Limit = limit;
    }

    /// <summary>Creates the exception with a message.</summary>
    public GrainQueueFullException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public GrainQueueFullException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public GrainQueueFullException()
    {
    }

    /// <summary>The grain that rejected the call.</summary>
    public GrainId? GrainId { get; }

    /// <summary>The queue limit in force.</summary>
    public int Limit { get; }
}

/// <summary>The silo that should handle the call is stopping, stopped or gone.</summary>
public sealed class SiloUnavailableException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public SiloUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SiloUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SiloUnavailableException()
    {
    }
}
