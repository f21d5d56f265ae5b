namespace HelaMem.Runtime.Membership;

/// <summary>
/// A silo instance: its endpoint (stable across restarts, e.g. <c>host:port</c> or a test-cluster name) and a
/// generation that changes on every start, so a restarted silo is a different member than its predecessor.
/// </summary>
/// <param name="Endpoint">Where the silo listens; placement hashes this, so a restarted silo gets its grains back.</param>
/// <param name="Generation">Distinguishes successive runs of the same endpoint.</param>
public sealed record SiloAddress(string Endpoint, long Generation)
{
    /// <inheritdoc />
    public override string ToString() => $"{Endpoint}@{Generation}";
}

/// <summary>A silo's state in the membership view.</summary>
public enum SiloStatus
{
    /// <summary>Starting; not yet a placement target.</summary>
    Joining,

    /// <summary>Serving and a placement target.</summary>
    Active,

    /// <summary>Shutting down gracefully: still serves its activations, accepts no new ones.</summary>
    ShuttingDown,

    /// <summary>Gone (stopped or declared dead); its activations no longer exist.</summary>
    Dead,
}
