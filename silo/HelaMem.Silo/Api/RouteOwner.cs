using HelaMem.Abstractions.Keys;

namespace HelaMem.Silo.Api;

/// <summary>
/// The memory owner a route names, bound as a handler parameter: the scope from the route group
/// (<see cref="OwnerRoutes"/> metadata) and the id from its route value. <see cref="UserIdCheck"/> has already refused
/// an invalid id before routing; a route outside the owner groups never binds one.
/// </summary>
internal sealed class RouteOwner
{
    private RouteOwner(MemoryOwner owner) => Owner = owner;

    /// <summary>The owner.</summary>
    public MemoryOwner Owner { get; }

    /// <summary>The owner's routes' path: <c>/v1/agents/bot</c>.</summary>
    public string Path => $"/v1/{Owner.ScopeText}s/{Uri.EscapeDataString(Owner.Id)}";

    /// <summary>Binds the owner of the request's route (minimal APIs call this for a parameter of this type).</summary>
    public static ValueTask<RouteOwner?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var routes = context.GetEndpoint()?.Metadata.GetMetadata<OwnerRoutes>()
            ?? throw new InvalidOperationException("The route is not in an owner group (/v1/users, /v1/agents, /v1/runs).");
        var id = context.Request.RouteValues[routes.Name] as string ?? "";
        if (UserIdCheck.Problem(id, routes.Scope) is { } problem)
        {
            throw ApiProblemException.BadRequest(problem);
        }

        return ValueTask.FromResult<RouteOwner?>(new RouteOwner(new MemoryOwner(routes.Scope, id)));
    }
}
