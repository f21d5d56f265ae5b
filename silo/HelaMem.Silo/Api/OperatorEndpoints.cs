using HelaMem.Client.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelaMem.Silo.Api;

/// <summary>The operator routes: <c>/v1/admin/...</c>, authenticated with the operator key.</summary>
internal static class OperatorEndpoints
{
    public static RouteGroupBuilder MapOperatorEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/v1/admin")
            .WithTags("Operator")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        admin.MapPost("/tenants", CreateAsync).WithName("CreateTenant").WithSummary("Create a tenant; returns its first API key (shown once).")
            .ProducesProblem(StatusCodes.Status409Conflict).WithBody();
        admin.MapGet("/tenants", async (OperatorService ops) => TypedResults.Ok(await ops.ListAsync())).WithName("ListTenants").WithSummary("Every tenant.");
        admin.MapGet("/tenants/{tenant}", async (string tenant, OperatorService ops) => TypedResults.Ok(await ops.GetAsync(tenant))).WithName("GetTenant").WithSummary("One tenant.");
        admin.MapPost("/tenants/{tenant}/disable", async (string tenant, OperatorService ops) => TypedResults.Ok(await ops.SetDisabledAsync(tenant, disabled: true)))
            .WithName("DisableTenant").WithSummary("Refuse the tenant's keys until it is enabled again.");
        admin.MapPost("/tenants/{tenant}/enable", async (string tenant, OperatorService ops) => TypedResults.Ok(await ops.SetDisabledAsync(tenant, disabled: false)))
            .WithName("EnableTenant").WithSummary("Accept the tenant's keys again.");
        admin.MapPut("/tenants/{tenant}/settings", async (string tenant, TenantSettingsUpdate update, OperatorService ops) => TypedResults.Ok(await ops.UpdateSettingsAsync(tenant, update)))
            .WithName("UpdateTenantSettings").WithSummary("Change a tenant's quotas, retrieval overrides and/or LLM provider override (a section left out is kept; an empty llm object removes the override).").WithBody();
        admin.MapPost("/tenants/{tenant}/keys", IssueKeyAsync).WithName("IssueKey").WithSummary("Issue another API key (shown once).");
        admin.MapDelete("/tenants/{tenant}/keys/{keyId}", RevokeKeyAsync).WithName("RevokeKey").WithSummary("Revoke an API key.");
        admin.MapGet("/tenants/{tenant}/stats", async (string tenant, OperatorService ops) => TypedResults.Ok(await ops.StatsAsync(tenant)))
            .WithName("TenantStats").WithSummary("A tenant's usage counters.");
        admin.MapGet("/tenants/{tenant}/users", async (string tenant, OperatorService ops, string? cursor, int? limit) => TypedResults.Ok(await ops.ListOwnersAsync(tenant, cursor, limit)))
            .WithName("ListTenantOwners").WithSummary("A page of the tenant's memory owners (users, agents, runs) by scope and id.")
            .RequireRateLimiting(TenantRateLimiting.OperatorPolicy).ProducesProblem(StatusCodes.Status429TooManyRequests);
        admin.MapDelete("/tenants/{tenant}", async (string tenant, OperatorService ops) => TypedResults.Ok(await ops.DeleteTenantAsync(tenant)))
            .WithName("DeleteTenant").WithSummary("Delete the tenant: every owner's memory, its keys and its records; returns a receipt.")
            .RequireRateLimiting(TenantRateLimiting.OperatorPolicy).ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapGet("/cluster", async (OperatorService ops) => TypedResults.Ok(await ops.ClusterAsync())).WithName("ClusterStats").WithSummary("The cluster's silos and activations.");
        admin.MapGet("/stats", async (ClusterActivityService stats) => TypedResults.Ok(await stats.StatsAsync()))
            .WithName("OperatorStats")
            .WithSummary("The whole cluster live: silos and their health, per tenant its owners, ingests/s, searches/s, search p50/p99, rate-limit refusals, LLM tokens, consolidation runs and semantic items, storage latency.")
            .RequireRateLimiting(TenantRateLimiting.OperatorPolicy).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return admin;
    }

    private static async Task<Created<IssuedApiKey>> CreateAsync(CreateTenantRequest request, OperatorService ops)
    {
        var issued = await ops.CreateTenantAsync(request);
        return TypedResults.Created($"/v1/admin/tenants/{issued.Tenant}", issued);
    }

    private static async Task<Created<IssuedApiKey>> IssueKeyAsync(string tenant, OperatorService ops)
    {
        var issued = await ops.IssueKeyAsync(tenant);
        return TypedResults.Created($"/v1/admin/tenants/{issued.Tenant}/keys/{issued.KeyId}", issued);
    }

    private static async Task<NoContent> RevokeKeyAsync(string tenant, string keyId, OperatorService ops)
    {
        await ops.RevokeKeyAsync(tenant, keyId);
        return TypedResults.NoContent();
    }
}
