namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// The database's schema cannot be used by this build: it was written by a newer HelaMem (a higher schema
/// version than this build knows) or its schema bookkeeping is damaged. Nothing was changed.
/// </summary>
public sealed class StorageSchemaException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public StorageSchemaException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public StorageSchemaException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public StorageSchemaException() : base("The database schema cannot be used by this build.")
    {
    }
}
