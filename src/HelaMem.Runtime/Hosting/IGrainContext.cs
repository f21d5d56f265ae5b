using HelaMem.Runtime.Membership;

namespace HelaMem.Runtime;

/// <summary>The activation a grain instance lives in; injectable into any grain constructor.</summary>
public interface IGrainContext
{
    /// <summary>The grain's identity.</summary>
    GrainId GrainId { get; }

    /// <summary>The silo hosting the activation.</summary>
    SiloAddress Silo { get; }

    /// <summary>A grain factory whose calls carry this grain's call chain.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>The silo's services.</summary>
    IServiceProvider Services { get; }

    /// <summary>Deactivates the activation once the current requests have finished.</summary>
    void DeactivateOnIdle();

    /// <summary>Keeps idle collection away for at least <paramref name="timeSpan"/>.</summary>
    void DelayDeactivation(TimeSpan timeSpan);
}

/// <summary>Why an activation is deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>The grain asked for it (DeactivateOnIdle).</summary>
    ApplicationRequested,

    /// <summary>Idle collection.</summary>
    IdleCollection,

    /// <summary>The silo is shutting down.</summary>
    SiloShutdown,

    /// <summary>An operator or test forced it.</summary>
    Forced,
}
