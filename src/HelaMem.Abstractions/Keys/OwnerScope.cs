namespace HelaMem.Abstractions.Keys;

/// <summary>
/// What kind of memory owner a graph belongs to. Each owner (a user, an agent or a run) has its own memory graph,
/// isolated from the others exactly as users are: the same id in two scopes names two separate graphs.
/// </summary>
public enum OwnerScope
{
    /// <summary>An end user (<c>/v1/users/{user}</c>); the graph key's owner segment is the id itself.</summary>
    User = 0,

    /// <summary>An agent (<c>/v1/agents/{agent}</c>); the owner segment is <c>agent~{id}</c>.</summary>
    Agent = 1,

    /// <summary>A run (<c>/v1/runs/{run}</c>); the owner segment is <c>run~{id}</c>.</summary>
    Run = 2,
}
