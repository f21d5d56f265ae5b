using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.State;

/// <summary>The persistent state of a tenant grain.</summary>
public sealed class TenantState
{
    /// <summary>The settings (null: defaults).</summary>
    public TenantSettings? Settings { get; set; }

    /// <summary>Users with a memory graph.</summary>
    public long Users { get; set; }

    /// <summary>Messages ingested.</summary>
    public long MessagesIngested { get; set; }

    /// <summary>Retrievals served.</summary>
    public long Retrievals { get; set; }

    /// <summary>Users deleted.</summary>
    public long UsersDeleted { get; set; }
}
