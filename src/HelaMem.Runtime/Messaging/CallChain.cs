namespace HelaMem.Runtime.Messaging;

/// <summary>
/// The activations a request passed through on its way here, innermost first: an immutable linked list that each
/// hop extends by one node. A request whose chain already contains its target is a call back into an activation
/// that is waiting (directly or transitively) for this very request, so the runtime lets it interleave instead of
/// deadlocking (call-chain reentrancy).
/// </summary>
public sealed class CallChain
{
    /// <summary>Extends <paramref name="parent"/> by <paramref name="grainId"/>.</summary>
    public CallChain(GrainId grainId, CallChain? parent)
    {
        GrainId = grainId;
        Parent = parent;
        Depth = (parent?.Depth ?? 0) + 1;
    }

    /// <summary>The activation this hop left from.</summary>
    public GrainId GrainId { get; }

    /// <summary>The hops before it.</summary>
    public CallChain? Parent { get; }

    /// <summary>How many hops the chain has.</summary>
    public int Depth { get; }

    /// <summary>Whether the chain passes through <paramref name="grainId"/>.</summary>
    public bool Contains(GrainId grainId)
    {
        for (var link = this; link is not null; link = link.Parent)
        {
            if (link.GrainId == grainId)
            {
                return true;
            }
        }

        return false;
    }
}
