namespace HelaMem.Persistence.Postgres;

/// <summary>
/// PostgreSQL could not be reached or stopped answering during a call (server down or restarting, connection
/// lost, too many connections, a timeout). A read changed nothing; a write or clear may or may not have been
/// applied, so its caller must read again before retrying (a grain deactivates and re-reads). The condition is
/// temporary from HelaMem's point of view: the silo answers it with 503 and a Retry-After, and the provider
/// reconnects by itself once the server is back. Serializable by Orleans (the exception of a grain call travels to
/// the silo that made it; the driver's exception inside travels as Orleans' fallback with its type name and message).
/// </summary>
[GenerateSerializer, Alias("helamem.PostgresUnavailableException")]
public sealed class PostgresUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public PostgresUnavailableException() : base("PostgreSQL is unavailable; retry shortly.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PostgresUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the driver's exception inside.</summary>
    public PostgresUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
