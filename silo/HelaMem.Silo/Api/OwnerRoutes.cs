using HelaMem.Abstractions.Keys;

namespace HelaMem.Silo.Api;

/// <summary>
/// One scope's memory routes: <c>/v1/users/{user}</c>, <c>/v1/agents/{agent}</c> or <c>/v1/runs/{run}</c>. The three
/// groups carry the same sub-routes (UserEndpoints maps them from one function); this names their paths, route
/// parameter, operation ids and summaries. The instance is also the group's endpoint metadata, which is how a handler
/// learns its scope (<see cref="RouteOwner"/>).
/// </summary>
internal sealed class OwnerRoutes
{
    private OwnerRoutes(OwnerScope scope)
    {
        Scope = scope;
        Name = MemoryOwner.ScopeName(scope);
        Prefix = $"/v1/{Name}s/";
        Pattern = $"/v1/{Name}s/{{{Name}}}";
        _title = char.ToUpperInvariant(Name[0]) + Name[1..];
    }

    private readonly string _title;

    /// <summary>The users', agents' and runs' routes, in that order.</summary>
    public static IReadOnlyList<OwnerRoutes> All { get; } = [new(OwnerScope.User), new(OwnerScope.Agent), new(OwnerScope.Run)];

    /// <summary>The scope.</summary>
    public OwnerScope Scope { get; }

    /// <summary>"user", "agent" or "run": the scope's name in responses and the route parameter's name.</summary>
    public string Name { get; }

    /// <summary>The path every route of the group starts with, up to the owner id: <c>/v1/agents/</c>.</summary>
    public string Prefix { get; }

    /// <summary>The group's route pattern: <c>/v1/agents/{agent}</c>.</summary>
    public string Pattern { get; }

    /// <summary>The routes of the scope <paramref name="path"/> belongs to (by its prefix), or null.</summary>
    public static OwnerRoutes? ScopeOfPath(string path) =>
        All.FirstOrDefault(routes => path.StartsWith(routes.Prefix, StringComparison.Ordinal));

    /// <summary>
    /// The operation id (endpoint name) of one route: <c>{Owner}</c> in <paramref name="template"/> becomes the scope
    /// ("Delete{Owner}": DeleteUser, DeleteAgent, DeleteRun); a template without it is the users' id as it is and
    /// the others' with the scope in front ("Ingest": Ingest, AgentIngest, RunIngest). Ids must be unique in the app.
    /// </summary>
    public string OperationId(string template) =>
        template.Contains("{Owner}", StringComparison.Ordinal) ? template.Replace("{Owner}", _title, StringComparison.Ordinal)
        : Scope == OwnerScope.User ? template
        : _title + template;

    /// <summary>A summary with <c>{owner}</c> replaced by the scope's name ("Hard-delete the {owner} everywhere").</summary>
    public string Summary(string template) => template.Replace("{owner}", Name, StringComparison.Ordinal);
}

/// <summary>Endpoint metadata of an owner route: the operation id of the same route for users (its examples are shared).</summary>
/// <param name="OperationId">The users' operation id.</param>
internal sealed record UserOperation(string OperationId);
