using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.State;

/// <summary>The persistent state of a tenant grain.</summary>
public sealed class TenantState
{
    /// <summary>The settings (null: defaults).</summary>
    public TenantSettings? Settings { get; set; }

    /// <summary>Memory owners (users, agents and runs) with a memory graph.</summary>
    public long Users { get; set; }

    /// <summary>
    /// The ids of the users with a memory graph, so that an unknown user is refused without activating a graph.
    /// Null in state written before the tenant kept this list: then it holds only the users seen since, and is
    /// not <see cref="UserListComplete">complete</see>.
    /// </summary>
    public HashSet<string>? UserIds { get; set; }

    /// <summary>Whether <see cref="UserIds"/> names every user (false for a tenant that had users before the list existed).</summary>
    public bool UserListComplete { get; set; }

    /// <summary>Messages ingested.</summary>
    public long MessagesIngested { get; set; }

    /// <summary>Retrievals served.</summary>
    public long Retrievals { get; set; }

    /// <summary>Users deleted.</summary>
    public long UsersDeleted { get; set; }

    /// <summary>Consolidation runs of the tenant's owners (0 in state written before the count was kept).</summary>
    public long ConsolidationRuns { get; set; }

    /// <summary>Semantic items consolidation added less those deleted with their owner (0 in state written before the count was kept).</summary>
    public long SemanticItems { get; set; }

    /// <summary>Whether the tenant is being deleted: its ingests are refused until its state is cleared.</summary>
    public bool Deleting { get; set; }
}
