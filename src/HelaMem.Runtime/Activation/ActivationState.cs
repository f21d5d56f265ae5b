namespace HelaMem.Runtime.Activation;

/// <summary>The life of an activation. Requests queue while Activating and are re-routed once Invalid.</summary>
internal enum ActivationState
{
    /// <summary>Registering in the directory, reading state, running OnActivateAsync.</summary>
    Activating,

    /// <summary>Serving requests.</summary>
    Valid,

    /// <summary>Finishing its running requests; no new ones start (except call-chain reentrant ones).</summary>
    Deactivating,

    /// <summary>Gone from the catalog; queued requests were handed back to the router.</summary>
    Invalid,
}
