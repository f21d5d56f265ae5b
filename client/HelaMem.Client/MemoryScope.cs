namespace HelaMem.Client;

/// <summary>
/// Whose memory a call works on: a user (<c>/v1/users/{id}</c>), an agent (<c>/v1/agents/{id}</c>) or a run
/// (<c>/v1/runs/{id}</c>). Each is a memory of its own: a user, an agent and a run with the same id never share
/// memories. Ids are 1–128 letters, digits, '-', '_', '.' and '@' (the server refuses others with a 400).
/// </summary>
public readonly record struct MemoryScope
{
    private MemoryScope(string kind, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Kind = kind;
        Id = id;
    }

    /// <summary>"user", "agent" or "run" (as responses' <c>scope</c> field names it).</summary>
    public string Kind { get; }

    /// <summary>The owner's id.</summary>
    public string Id { get; }

    /// <summary>A user's memory.</summary>
    public static MemoryScope User(string id) => new("user", id);

    /// <summary>An agent's memory.</summary>
    public static MemoryScope Agent(string id) => new("agent", id);

    /// <summary>A run's memory.</summary>
    public static MemoryScope Run(string id) => new("run", id);

    /// <summary>The path of the owner's routes, without a leading slash: <c>v1/agents/bot</c>.</summary>
    internal string Path => Kind is null
        ? throw new InvalidOperationException("The scope is the default value; create it with MemoryScope.User, Agent or Run.")
        : $"v1/{Kind}s/{Uri.EscapeDataString(Id)}";

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{Id}'";
}
