using HelaMem.Client.Contracts;
using HelaMem.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HelaMem.Silo.Api;

/// <summary>The tenant routes: <c>/v1/users/{user}/...</c>. The tenant comes from the API key only.</summary>
internal static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/v1/users/{user}")
            .WithTags("Memories")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        users.MapPost("/messages", IngestAsync).WithName("Ingest")
            .WithSummary("Store a batch of messages for a user (an Idempotency-Key header makes a retry return the first result; 'Prefer: respond-async' or ?async=true accepts it as a job, 202).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).WithBody();
        users.MapGet("/jobs/{jobId}", JobAsync).WithName("GetIngestJob").WithSummary("The status of an asynchronous ingest.");
        users.MapPost("/search", SearchAsync).WithName("Search").WithSummary("Retrieve memories and the assembled context for a query.").WithBody();
        users.MapPost("/search/batch", SearchBatchAsync).WithName("SearchBatch").WithSummary("Run several searches of the user's memory in one request, in order.").WithBody();
        users.MapPost("/usage", ReportUsageAsync).WithName("ReportUsage").WithSummary("Report which items of a search the agent used.").WithBody();
        users.MapGet("/profile", ProfileAsync).WithName("GetProfile").WithSummary("The user's profile and knowledge.");
        users.MapGet("/memories", ListAsync).WithName("ListMemories")
            .WithSummary("A page of the user's memories in id order, optionally filtered (conversationId, speaker, role, from, until, metadata.<key>).");
        users.MapGet("/memories/{id:long}", GetAsync).WithName("GetMemory").WithSummary("One memory.");
        users.MapPatch("/memories/{id:long}", UpdateAsync).WithName("UpdateMemory")
            .WithSummary("Change a memory's content (re-embedded, re-keyworded, edges kept) and/or metadata; the old version goes into its history.").WithBody();
        users.MapGet("/memories/{id:long}/history", HistoryAsync).WithName("MemoryHistory").WithSummary("Every version of a memory, oldest first.");
        users.MapDelete("/memories/{id:long}", DeleteMemoryAsync).WithName("DeleteMemory").WithSummary("Hard-delete one memory.");
        users.MapDelete("/", DeleteUserAsync).WithName("DeleteUser").WithSummary("Hard-delete the user everywhere; returns a receipt.");
        users.MapPost("/consolidate", ConsolidateAsync).WithName("Consolidate").WithSummary("Run consolidation (and, with forget=true, forgetting) now.");
        users.MapGet("/stats", StatsAsync).WithName("UserStats").WithSummary("The user's memory statistics.");
        return users;
    }

    /// <summary>The refusals only a route with a body can give: too large (413) and not JSON (415).</summary>
    internal static RouteHandlerBuilder WithBody(this RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<Results<Created<IngestResult>, Accepted<IngestJob>>> IngestAsync(string user, IngestRequest request, MemoryService memory, HttpContext context,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, [FromQuery(Name = "async")] bool? asynchronous)
    {
        if (asynchronous == true || context.Request.Headers["Prefer"].Any(p => p is not null && p.Contains("respond-async", StringComparison.OrdinalIgnoreCase)))
        {
            var job = await memory.SubmitIngestAsync(TenantAuthentication.TenantOf(context), user, request, idempotencyKey);
            if (job.Replayed)
            {
                context.Response.Headers[ReplayedHeader] = "true";
            }

            context.Response.Headers["Preference-Applied"] = "respond-async";
            return TypedResults.Accepted($"/v1/users/{Uri.EscapeDataString(user)}/jobs/{job.JobId}", job);
        }

        var result = await memory.IngestAsync(TenantAuthentication.TenantOf(context), user, request, idempotencyKey);
        if (result.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }

        return TypedResults.Created($"/v1/users/{Uri.EscapeDataString(user)}/memories", result);
    }

    private static async Task<Ok<IngestJob>> JobAsync(string user, string jobId, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.JobAsync(TenantAuthentication.TenantOf(context), user, jobId));

    /// <summary>The request header that makes an ingest idempotent.</summary>
    internal const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The response header that marks the answer to a retried ingest.</summary>
    internal const string ReplayedHeader = "Idempotent-Replayed";

    private static async Task<Ok<SearchResult>> SearchAsync(string user, SearchRequest request, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.SearchAsync(TenantAuthentication.TenantOf(context), user, request));

    private static async Task<Ok<BatchSearchResult>> SearchBatchAsync(string user, BatchSearchRequest request, MemoryService memory, HttpContext context,
        TenantRequestLimiter limiter)
    {
        // A batch costs what its searches would cost one by one: the request took one token, the others are taken here.
        limiter.Charge(context, Math.Clamp(request?.Searches?.Count ?? 1, 1, ApiDefaults.MaxBatchSearches) - 1);
        return TypedResults.Ok(await memory.SearchBatchAsync(TenantAuthentication.TenantOf(context), user, request));
    }

    private static async Task<Ok<MemoryRecord>> UpdateAsync(string user, long id, MemoryUpdateRequest request, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.UpdateAsync(TenantAuthentication.TenantOf(context), user, id, request));

    private static async Task<Ok<MemoryHistory>> HistoryAsync(string user, long id, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.HistoryAsync(TenantAuthentication.TenantOf(context), user, id));

    private static async Task<Accepted> ReportUsageAsync(string user, UsageReport report, MemoryService memory, HttpContext context)
    {
        await memory.ReportUsageAsync(TenantAuthentication.TenantOf(context), user, report);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Ok<ProfileResult>> ProfileAsync(string user, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.ProfileAsync(TenantAuthentication.TenantOf(context), user));

    private static async Task<Ok<MemoryPage>> ListAsync(string user, MemoryService memory, HttpContext context, long? offset, int? limit) =>
        TypedResults.Ok(await memory.ListAsync(TenantAuthentication.TenantOf(context), user, offset ?? 0, limit ?? 100, Filters.FromQuery(context.Request.Query)));

    private static async Task<Ok<MemoryRecord>> GetAsync(string user, long id, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.GetAsync(TenantAuthentication.TenantOf(context), user, id));

    private static async Task<NoContent> DeleteMemoryAsync(string user, long id, MemoryService memory, HttpContext context)
    {
        await memory.DeleteMemoryAsync(TenantAuthentication.TenantOf(context), user, id);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<DeletionReceipt>> DeleteUserAsync(string user, MemoryService memory, HttpContext context, ILogger<MemoryService> logger) =>
        TypedResults.Ok(await memory.DeleteUserAsync(TenantAuthentication.TenantOf(context), user, logger));

    private static async Task<Ok<ConsolidationResult>> ConsolidateAsync(string user, MemoryService memory, HttpContext context, bool? forget) =>
        TypedResults.Ok(await memory.ConsolidateAsync(TenantAuthentication.TenantOf(context), user, forget ?? false));

    private static async Task<Ok<UserStats>> StatsAsync(string user, MemoryService memory, HttpContext context) =>
        TypedResults.Ok(await memory.StatsAsync(TenantAuthentication.TenantOf(context), user));
}
