using System.Buffers.Text;
using System.Text;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Abstractions.Tenancy;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Grains;

namespace HelaMem.Silo.Api;

/// <summary>
/// A tenant's memory owners as operators see them: listed page by page, and deleted with the whole tenant. Both act
/// for the tenant (<see cref="TenantContext"/>) while they call its grains, so the tenant isolation filter guards them
/// as it guards the tenant's own requests.
/// </summary>
internal sealed partial class OperatorService
{
    // What a cursor holds before the owner segment, so a cursor of another format is recognised as foreign.
    private const string CursorVersion = "o1:";

    // Owners read from the tenant grain per call while deleting, and deleted at once.
    private const int DeletePage = 1_000;
    private const int DeleteConcurrency = 16;

    /// <summary>A page of the tenant's owners by (scope, id); 400 naming the field for a bad cursor or limit, 404 for an unknown tenant.</summary>
    public async Task<OwnerPage> ListOwnersAsync(string name, string? cursor, int? limit)
    {
        var tenant = ValidName(name);
        var size = limit ?? 100;
        if (size is < 1 or > ApiDefaults.MaxPageSize)
        {
            throw ApiProblemException.BadRequest($"query parameter 'limit' must be an integer between 1 and {ApiDefaults.MaxPageSize}; it is {size}.");
        }

        var after = cursor is null ? null : DecodeCursor(cursor);
        return await ForTenantAsync(tenant, async () =>
        {
            _ = await Grains.GetGrain<ITenantAccessGrain>(tenant).Describe() ?? throw UnknownTenant(tenant);
            var page = await Grains.GetGrain<ITenantGrain>(tenant).ListOwners(after, size);
            var owners = page.Owners.Select(segment => MemoryOwner.Parse(segment)).ToList();
            return new OwnerPage(tenant, [.. owners.Select(owner => new OwnerSummary(owner.ScopeText, owner.Id))],
                page.More ? EncodeCursor(owners[^1]) : null, page.Complete);
        });
    }

    /// <summary>
    /// Deletes a tenant: every owner's memory, its keys and its own records; a tenant created again with the name
    /// starts empty. 404 for an unknown tenant; 409, changing nothing, for a tenant whose owner list is incomplete.
    /// Every step can be repeated, so a delete that failed half-way is finished by sending it again (the tenant stays
    /// disabled, its keys refused, until then); the repeated delete's receipt counts what it removed itself.
    /// </summary>
    public async Task<TenantDeletionReceipt> DeleteTenantAsync(string name)
    {
        var tenant = ValidName(name);
        var access = Grains.GetGrain<ITenantAccessGrain>(tenant);
        var directory = Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key);
        var receipt = await ForTenantAsync(tenant, async () =>
        {
            // A delete that failed after the access record was cleared left the name in the directory: finish it.
            var record = await access.Describe();
            if (record is null && !(await directory.List()).Contains(tenant, StringComparer.Ordinal))
            {
                throw UnknownTenant(tenant);
            }

            var tenantGrain = Grains.GetGrain<ITenantGrain>(tenant);
            if (!(await tenantGrain.ListOwners(null, 1)).Complete)
            {
                throw new ApiProblemException(StatusCodes.Status409Conflict, "Owner list incomplete",
                    $"Tenant '{tenant}' was stored before HelaMem kept its list of users, so a delete cannot find them all; nothing was deleted. " +
                    "Delete its users one by one (DELETE /v1/users/{user} with a key of the tenant); once it has none left, its list is complete.");
            }

            // Refuse its keys (403) and, in the tenant grain, every ingest admitted from now on: the owners listed below
            // are then all there will be (an ingest already admitted listed its owner before BeginDelete could run).
            if (record is not null)
            {
                await access.SetDisabled(true);
            }

            await tenantGrain.BeginDelete();
            var (users, agents, runs, nodes, items) = await DeleteOwnersAsync(tenant, tenantGrain);
            var keys = await access.RevokeAll(clock.GetUtcNow());
            await tenantGrain.Clear();
            await access.Clear();
            return new TenantDeletionReceipt(tenant, new OwnerCounts(users, agents, runs), nodes, items, keys, clock.GetUtcNow());
        });

        // Last, so a delete that fails before this point is found again by its retry.
        await directory.Remove(tenant);
        SiloLog.TenantDeleted(logger, tenant, receipt.OwnersDeleted.Users, receipt.OwnersDeleted.Agents, receipt.OwnersDeleted.Runs,
            receipt.NodesDeleted, receipt.SemanticItemsDeleted, receipt.KeysRevoked);
        return receipt;
    }

    // Deletes every listed owner as the owner delete route does (graph, then the API's annotations), a page at a time.
    private async Task<(long Users, long Agents, long Runs, long Nodes, long Items)> DeleteOwnersAsync(string tenant, ITenantGrain tenantGrain)
    {
        long users = 0, agents = 0, runs = 0, nodes = 0, items = 0;
        string? after = null;
        while (true)
        {
            var page = await tenantGrain.ListOwners(after, DeletePage);
            if (page.Owners.Count == 0)
            {
                return (users, agents, runs, nodes, items);
            }

            foreach (var batch in page.Owners.Chunk(DeleteConcurrency))
            {
                var receipts = await Task.WhenAll(batch.Select(async segment =>
                {
                    var key = new GraphKey(tenant, segment);

                    // Pending asynchronous ingests first, so none stores anything after the graph is gone.
                    await Grains.GetGrain<IIngestJobsGrain>(key.ToString()).Clear();
                    var deleted = await Grains.GetGrain<IUserGraphGrain>(key.ToString()).Delete();
                    await Grains.GetGrain<IMemoryAnnotationGrain>(key.ToString()).Clear();
                    return (key.Owner.Scope, deleted.NodesDeleted, deleted.SemanticItemsDeleted);
                }));
                foreach (var (scope, deletedNodes, deletedItems) in receipts)
                {
                    users += scope == OwnerScope.User ? 1 : 0;
                    agents += scope == OwnerScope.Agent ? 1 : 0;
                    runs += scope == OwnerScope.Run ? 1 : 0;
                    nodes += deletedNodes;
                    items += deletedItems;
                }
            }

            // Deleted owners leave the list; one whose graph was never stored stays, so go on after the page's last.
            after = page.Owners[^1];
        }
    }

    // Runs the calls of an operator route that acts on one tenant as that tenant, so the isolation filter checks them.
    private static async Task<T> ForTenantAsync<T>(string tenant, Func<Task<T>> calls)
    {
        TenantContext.Set(tenant);
        try
        {
            return await calls();
        }
        finally
        {
            TenantContext.Clear();
        }
    }

    private static string EncodeCursor(MemoryOwner last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorVersion + last.Segment));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(CursorVersion, StringComparison.Ordinal))
            {
                return MemoryOwner.Parse(text[CursorVersion.Length..]).Segment;
            }
        }
        catch (FormatException)
        {
        }
        catch (ArgumentException)
        {
        }

        throw ApiProblemException.BadRequest("query parameter 'cursor' is not a cursor of this listing; pass the 'nextCursor' of the previous page unchanged, or leave it out for the first page.");
    }
}
