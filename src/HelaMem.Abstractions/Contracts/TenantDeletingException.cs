using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>An ingest refused because its tenant is being deleted (<see cref="Grains.ITenantGrain.BeginDelete"/>).</summary>
[GenerateSerializer, Alias("helamem.TenantDeletingException")]
public sealed class TenantDeletingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TenantDeletingException()
        : base("The tenant is being deleted.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TenantDeletingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TenantDeletingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
