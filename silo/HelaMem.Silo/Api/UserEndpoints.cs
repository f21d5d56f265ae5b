using HelaMem.Client.Contracts;
using HelaMem.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HelaMem.Silo.Api;

/// <summary>
/// The tenant routes of every memory owner: <c>/v1/users/{user}/...</c>, <c>/v1/agents/{agent}/...</c> and
/// <c>/v1/runs/{run}/...</c>, mapped from one function so the three always carry the same routes. The tenant comes
/// from the API key only; the owner from the route (<see cref="RouteOwner"/>).
/// </summary>
internal static class UserEndpoints
{
    public static void MapUserEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var scope in OwnerRoutes.All)
        {
            MapOwnerEndpoints(routes, scope);
        }
    }

    // One scope's group. Every route is named with Named (an endpoint name must be unique in the app, so the agents'
    // and runs' differ from the users'), its summary goes through scope.Summary ("{owner}": "user", "agent" or "run").
    private static RouteGroupBuilder MapOwnerEndpoints(IEndpointRouteBuilder routes, OwnerRoutes scope)
    {
        var users = routes.MapGroup(scope.Pattern)
            .WithTags("Memories")
            .WithMetadata(scope)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        users.MapPost("/messages", IngestAsync).Named(scope, "Ingest")
            .WithSummary(scope.Summary("Store a batch of messages for the {owner} (an Idempotency-Key header makes a retry return the first result; 'Prefer: respond-async' or ?async=true accepts it as a job, 202)."))
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict).WithBody();
        users.MapGet("/jobs/{jobId}", JobAsync).Named(scope, "GetIngestJob").WithSummary(scope.Summary("The status of an asynchronous ingest of the {owner}."));
        users.MapPost("/search", SearchAsync).Named(scope, "Search").WithSummary(scope.Summary("Retrieve the {owner}'s memories and the assembled context for a query."))
            .ProducesProblem(StatusCodes.Status409Conflict).WithBody();
        users.MapPost("/search/batch", SearchBatchAsync).Named(scope, "SearchBatch").WithSummary(scope.Summary("Run several searches of the {owner}'s memory in one request, in order."))
            .ProducesProblem(StatusCodes.Status409Conflict).WithBody();
        users.MapPost("/usage", ReportUsageAsync).Named(scope, "ReportUsage").WithSummary(scope.Summary("Report which items of a search the agent used.")).WithBody();
        users.MapGet("/profile", ProfileAsync).Named(scope, "GetProfile").WithSummary(scope.Summary("The {owner}'s profile and knowledge."));
        users.MapGet("/memories", ListAsync).Named(scope, "ListMemories")
            .WithSummary(scope.Summary("A page of the {owner}'s memories in id order, optionally filtered (conversationId, speaker, role, from, until, metadata.<key>)."));
        users.MapGet("/memories/{id:long}", GetAsync).Named(scope, "GetMemory").WithSummary(scope.Summary("One memory of the {owner}."));
        users.MapPatch("/memories/{id:long}", UpdateAsync).Named(scope, "UpdateMemory")
            .WithSummary(scope.Summary("Change a memory of the {owner}: content (re-embedded, re-keyworded, edges kept) and/or metadata; the old version goes into its history."))
            .ProducesProblem(StatusCodes.Status409Conflict).WithBody();
        users.MapGet("/memories/{id:long}/history", HistoryAsync).Named(scope, "MemoryHistory").WithSummary(scope.Summary("Every version of a memory of the {owner}, oldest first."));
        users.MapDelete("/memories/{id:long}", DeleteMemoryAsync).Named(scope, "DeleteMemory").WithSummary(scope.Summary("Hard-delete one memory of the {owner}."));
        users.MapDelete("/", DeleteUserAsync).Named(scope, "Delete{Owner}").WithSummary(scope.Summary("Hard-delete the {owner} everywhere; returns a receipt."));
        users.MapPost("/consolidate", ConsolidateAsync).Named(scope, "Consolidate").WithSummary(scope.Summary("Run consolidation for the {owner} (and, with forget=true, forgetting) now."));
        users.MapPost("/reembed", ReembedAsync).Named(scope, "Reembed")
            .WithSummary(scope.Summary("Re-embed every memory of the {owner} (and its semantic items) with the silo's embedder, so a graph built with another one can be searched again; a graph already on it is left as it is."))
            .ProducesProblem(StatusCodes.Status409Conflict);
        users.MapGet("/stats", StatsAsync).Named(scope, "{Owner}Stats").WithSummary(scope.Summary("The {owner}'s memory statistics."));
        return users;
    }

    /// <summary>
    /// Names an owner route (<see cref="OwnerRoutes.OperationId"/>) and records the users' name of it, whose OpenAPI
    /// examples the agents' and runs' routes share.
    /// </summary>
    private static RouteHandlerBuilder Named(this RouteHandlerBuilder route, OwnerRoutes scope, string template) =>
        route.WithName(scope.OperationId(template)).WithMetadata(new UserOperation(OwnerRoutes.All[0].OperationId(template)));

    /// <summary>The refusals only a route with a body can give: too large (413) and not JSON (415).</summary>
    internal static RouteHandlerBuilder WithBody(this RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<Results<Created<IngestResult>, Accepted<IngestJob>>> IngestAsync(RouteOwner owner, IngestRequest request, MemoryService memory,
        HttpContext context, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, [FromQuery(Name = "async")] bool? asynchronous)
    {
        if (asynchronous == true || context.Request.Headers["Prefer"].Any(p => p is not null && p.Contains("respond-async", StringComparison.OrdinalIgnoreCase)))
        {
            var job = await memory.SubmitIngestAsync(TenantAuthentication.TenantOf(context), owner.Owner, request, idempotencyKey);
            if (job.Replayed)
            {
                context.Response.Headers[ReplayedHeader] = "true";
            }

            context.Response.Headers["Preference-Applied"] = "respond-async";
            return TypedResults.Accepted($"{owner.Path}/jobs/{job.JobId}", job);
        }

        var result = await memory.IngestAsync(TenantAuthentication.TenantOf(context), owner.Owner, request, idempotencyKey);
        if (result.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }

        return TypedResults.Created($"{owner.Path}/memories", result);
    }

    private static async Task<Ok<IngestJob>> JobAsync(RouteOwner owner, string jobId, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.JobAsync(TenantAuthentication.TenantOf(context), owner.Owner, jobId));

    /// <summary>The request header that makes an ingest idempotent.</summary>
    internal const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The response header that marks the answer to a retried ingest.</summary>
    internal const string ReplayedHeader = "Idempotent-Replayed";

    private static async Task<Ok<SearchResult>> SearchAsync(RouteOwner owner, SearchRequest request, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.SearchAsync(TenantAuthentication.TenantOf(context), owner.Owner, request));

    private static async Task<Ok<BatchSearchResult>> SearchBatchAsync(RouteOwner owner, BatchSearchRequest request, MemoryService memory, HttpContext context,
        TenantRequestLimiter limiter)
    {
        // A batch costs what its searches would cost one by one: the request took one token, the others are taken here.
        limiter.Charge(context, Math.Clamp(request?.Searches?.Count ?? 1, 1, ApiDefaults.MaxBatchSearches) - 1);
        return TypedResults.Ok(await memory.SearchBatchAsync(TenantAuthentication.TenantOf(context), owner.Owner, request));
    }

    private static async Task<Ok<MemoryRecord>> UpdateAsync(RouteOwner owner, long id, MemoryUpdateRequest request, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.UpdateAsync(TenantAuthentication.TenantOf(context), owner.Owner, id, request));

    private static async Task<Ok<MemoryHistory>> HistoryAsync(RouteOwner owner, long id, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.HistoryAsync(TenantAuthentication.TenantOf(context), owner.Owner, id));

    private static async Task<Accepted> ReportUsageAsync(RouteOwner owner, UsageReport report, MemoryService memory, HttpContext context)
    {
        await memory.ReportUsageAsync(TenantAuthentication.TenantOf(context), owner.Owner, report);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Ok<ProfileResult>> ProfileAsync(RouteOwner owner, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.ProfileAsync(TenantAuthentication.TenantOf(context), owner.Owner));

    private static async Task<Ok<MemoryPage>> ListAsync(RouteOwner owner, MemoryService memory, HttpContext context, long? offset, int? limit) =>
        TypedResults.Ok(await memory.ListAsync(TenantAuthentication.TenantOf(context), owner.Owner, offset ?? 0, limit ?? 100, Filters.FromQuery(context.Request.Query)));

    private static async Task<Ok<MemoryRecord>> GetAsync(RouteOwner owner, long id, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.GetAsync(TenantAuthentication.TenantOf(context), owner.Owner, id));

    private static async Task<NoContent> DeleteMemoryAsync(RouteOwner owner, long id, MemoryService memory, HttpContext context)
    {
        await memory.DeleteMemoryAsync(TenantAuthentication.TenantOf(context), owner.Owner, id);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<DeletionReceipt>> DeleteUserAsync(RouteOwner owner, MemoryService memory, HttpContext context, ILogger<MemoryService> logger) =>
        TypedResults.Ok(await memory.DeleteUserAsync(TenantAuthentication.TenantOf(context), owner.Owner, logger));

    private static async Task<Ok<ConsolidationResult>> ConsolidateAsync(RouteOwner owner, MemoryService memory, HttpContext context, bool? forget) =>
        TypedResults.Ok(await memory.ConsolidateAsync(TenantAuthentication.TenantOf(context), owner.Owner, forget ?? false));

    // A step of ReembedStep memories costs one request: a large graph spends the tenant's tokens as its ingest did, and a
    // refusal (429) part-way keeps what was re-embedded, so the client resumes after Retry-After.
    private static async Task<Ok<ReembedResult>> ReembedAsync(RouteOwner owner, MemoryService memory, TenantRequestLimiter limiter, HttpContext context) =>
        TypedResults.Ok(await memory.ReembedAsync(TenantAuthentication.TenantOf(context), owner.Owner, () => limiter.Charge(context, 1)));

    private static async Task<Ok<UserStats>> StatsAsync(RouteOwner owner, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.StatsAsync(TenantAuthentication.TenantOf(context), owner.Owner));
}
