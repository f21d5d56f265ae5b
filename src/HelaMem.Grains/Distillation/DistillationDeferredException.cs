namespace HelaMem.Grains.Distillation;

/// <summary>
/// A distiller could not distill a cluster now (the provider is unavailable or over quota, or its answer was not
/// usable): nothing of the cluster was stored and consolidation tries it again on its next run.
/// </summary>
public sealed class DistillationDeferredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DistillationDeferredException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DistillationDeferredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DistillationDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
