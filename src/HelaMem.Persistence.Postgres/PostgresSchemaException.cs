namespace HelaMem.Persistence.Postgres;

/// <summary>
/// The database's <c>helamem</c> schema cannot be used by this build: a newer HelaMem migrated it further than
/// this build knows, or its bookkeeping is damaged. Nothing was changed.
/// </summary>
public sealed class PostgresSchemaException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public PostgresSchemaException() : base("The PostgreSQL schema cannot be used by this build.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PostgresSchemaException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public PostgresSchemaException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
