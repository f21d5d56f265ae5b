using System.Net;
using HelaMem.Abstractions.Grains;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// <c>DELETE /v1/admin/tenants/{tenant}</c>: every owner's memory, every key and the tenant's own records go, down to
/// the last SQLite row naming the tenant, while another tenant's rows stay as they were; a delete that failed
/// half-way is finished by sending it again.
/// </summary>
public sealed class TenantDeletionTests
{
    [Fact]
    public async Task Deleting_a_tenant_leaves_no_row_naming_it_refuses_its_keys_and_its_name_starts_empty_again()
    {
        using var data = new TempDirectory("helamem-tenant-delete");
        string doomed, doomedKey, kept;
        List<StoredRows.Row> keptRows;
        await using (var silo = new SiloFactory(new Dictionary<string, string?>(), data))
        {
            using var ops = silo.TypedClient();
            (doomed, doomedKey, var doomedHttp) = await silo.CreateTenantAsync("doomed");
            (kept, var keptKey, var keptHttp) = await silo.CreateTenantAsync("kept");
            doomedHttp.Dispose();
            keptHttp.Dispose();
            var secondKey = await ops.IssueKeyAsync(doomed);

            // The doomed tenant: a user, an agent and a run, searched (learning), consolidated, a memory deleted.
            using var client = silo.TypedClient(doomedKey);
            foreach (var owner in new[] { MemoryScope.User("alice"), MemoryScope.Agent("bot"), MemoryScope.Run("r1") })
            {
                await client.IngestAsync(owner, Samples.Conversation());
                await client.SearchAsync(owner, new SearchRequest("Rex the puppy and my sister in Lisbon"));
                await client.ConsolidateAsync(owner);
            }

            await client.DeleteMemoryAsync(MemoryScope.Agent("bot"), 2);

            // The kept tenant has the same owners, ingested only (nothing writes behind afterwards).
            using var keptClient = silo.TypedClient(keptKey);
            foreach (var owner in new[] { MemoryScope.User("alice"), MemoryScope.Agent("bot"), MemoryScope.Run("r1") })
            {
                await keptClient.IngestAsync(owner, Samples.Conversation());
            }

            var doomedRows = await StoredRows.OfTenantAsync(silo.DataDirectory, doomed);
            string[] types = ["tenant", "tenant-access", "user-graph", "memory-node", "consolidation", "memory-annotations"];
            Assert.All(types, type => Assert.Contains(doomedRows, row => row.Table == "grain_state" && row.GrainType == type));
            Assert.Equal(3, doomedRows.Count(row => row.Table == "reminders"));
            keptRows = await StoredRows.OfTenantAsync(silo.DataDirectory, kept);
            Assert.Equal(3, keptRows.Count(row => row.Table == "reminders"));

            var receipt = await ops.DeleteTenantAsync(doomed);
            Assert.Equal(doomed, receipt.Tenant);
            Assert.Equal(new OwnerCounts(1, 1, 1), receipt.OwnersDeleted);
            Assert.Equal(14, receipt.NodesDeleted);
            Assert.Equal(2, receipt.KeysRevoked);
            Assert.True(receipt.DeletedAt > DateTimeOffset.UtcNow.AddMinutes(-5));

            // Its keys are refused, it is not listed, and a second delete finds nothing.
            foreach (var key in new[] { doomedKey, secondKey.ApiKey })
            {
                using var old = silo.TypedClient(key);
                Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HelaMemApiException>(() => old.GetUserStatsAsync("alice"))).StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HelaMemApiException>(() => old.IngestAsync(MemoryScope.Run("r2"), Samples.Conversation()))).StatusCode);
            }

            Assert.DoesNotContain((await ops.ListTenantsAsync()).Tenants, t => t.Name == doomed);
            Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.GetTenantAsync(doomed))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.ListTenantOwnersAsync(doomed))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.DeleteTenantAsync(doomed))).StatusCode);
            Assert.Empty(await StoredRows.OfTenantAsync(silo.DataDirectory, doomed));

            // The kept tenant is served as before.
            Assert.Equal(5, (await keptClient.GetOwnerStatsAsync(MemoryScope.Agent("bot"))).Nodes);
            Assert.Equal(3, (await ops.GetTenantStatsAsync(kept)).Users);
        }

        // After the silo stopped (and flushed whatever it held): no row names the deleted tenant, not even the
        // directory's list, and every row of the other tenant is the one it wrote.
        Assert.Empty(await StoredRows.OfTenantAsync(data.Path, doomed));
        Assert.DoesNotContain(doomed, await StoredRows.TenantDirectoryAsync(data.Path), StringComparison.Ordinal);
        Assert.Contains(kept, await StoredRows.TenantDirectoryAsync(data.Path), StringComparison.Ordinal);
        Assert.Equal(keptRows, await StoredRows.OfTenantAsync(data.Path, kept));

        // A tenant created again with the name starts empty; the old keys stay refused.
        await using var again = new SiloFactory(new Dictionary<string, string?>(), data);
        using var operatorClient = again.TypedClient();
        var issued = await operatorClient.CreateTenantAsync(new CreateTenantRequest(doomed));
        Assert.Empty((await operatorClient.ListTenantOwnersAsync(doomed)).Items);
        Assert.Equal(new TenantStats(doomed, 0, 0, 0, 0), await operatorClient.GetTenantStatsAsync(doomed));
        Assert.Equal(issued.KeyId, Assert.Single((await operatorClient.GetTenantAsync(doomed)).Keys).Id);
        using var fresh = again.TypedClient(issued.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => fresh.GetUserStatsAsync("alice"))).StatusCode);
        Assert.Equal(1, (await fresh.IngestAsync("alice", new IngestRequest([new MessageInput("a new start")]))).NodeCount);
        using var stale = again.TypedClient(doomedKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HelaMemApiException>(() => stale.GetUserStatsAsync("alice"))).StatusCode);
    }
}

/// <summary>Deleting tenants on the shared silo: retries after a half-way failure, ingests during a delete, bad input.</summary>
[Collection(SiloHostGroup.Name)]
public sealed class TenantDeletionRetryTests(SiloFactory silo)
{
    [Fact]
    public async Task A_delete_that_stopped_after_some_owners_is_finished_by_sending_it_again()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync("half");
        http.Dispose();
        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync("alice", Samples.Conversation());
        await client.IngestAsync(MemoryScope.Agent("bot"), Samples.Conversation());

        // What a first attempt did before it failed: disabled the tenant, marked it, deleted alice.
        await silo.Grains.GetGrain<ITenantAccessGrain>(tenant).SetDisabled(true);
        await silo.Grains.GetGrain<ITenantGrain>(tenant).BeginDelete();
        await silo.Grains.GetGrain<IUserGraphGrain>($"{tenant}/alice").Delete();
        await silo.Grains.GetGrain<IMemoryAnnotationGrain>($"{tenant}/alice").Clear();
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetOwnerStatsAsync(MemoryScope.Agent("bot")))).StatusCode);

        using var ops = silo.TypedClient();
        var receipt = await ops.DeleteTenantAsync(tenant);
        Assert.Equal((new OwnerCounts(0, 1, 0), 5L, 1), (receipt.OwnersDeleted, receipt.NodesDeleted, receipt.KeysRevoked));
        Assert.DoesNotContain(tenant, await silo.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).List());
        Assert.Empty(await StoredRows.OfTenantAsync(silo.DataDirectory, tenant));
    }

    [Fact]
    public async Task A_delete_that_stopped_before_leaving_the_directory_is_finished_and_not_a_404()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync("late");
        http.Dispose();
        using (var client = silo.TypedClient(apiKey))
        {
            await client.IngestAsync(MemoryScope.Run("r1"), Samples.Conversation());
        }

        // Everything but the last step: the run deleted, the keys revoked, both records cleared.
        var access = silo.Grains.GetGrain<ITenantAccessGrain>(tenant);
        await access.SetDisabled(true);
        await silo.Grains.GetGrain<ITenantGrain>(tenant).BeginDelete();
        await silo.Grains.GetGrain<IUserGraphGrain>($"{tenant}/run~r1").Delete();
        await silo.Grains.GetGrain<IMemoryAnnotationGrain>($"{tenant}/run~r1").Clear();
        await access.RevokeAll(DateTimeOffset.UtcNow);
        await silo.Grains.GetGrain<ITenantGrain>(tenant).Clear();
        await access.Clear();

        using var ops = silo.TypedClient();
        Assert.DoesNotContain((await ops.ListTenantsAsync()).Tenants, t => t.Name == tenant);
        Assert.Contains(tenant, await silo.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).List());
        var receipt = await ops.DeleteTenantAsync(tenant);
        Assert.Equal((new OwnerCounts(0, 0, 0), 0L, 0), (receipt.OwnersDeleted, receipt.NodesDeleted, receipt.KeysRevoked));
        Assert.DoesNotContain(tenant, await silo.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).List());
        var left = await StoredRows.OfTenantAsync(silo.DataDirectory, tenant);
        Assert.True(left.Count == 0, string.Join("; ", left));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.DeleteTenantAsync(tenant))).StatusCode);
    }

    [Fact]
    public async Task An_ingest_reaching_a_tenant_whose_delete_has_begun_is_refused_and_stores_nothing()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync("race");
        http.Dispose();
        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync("alice", Samples.Conversation());

        // The key is still accepted (an in-flight request authenticated before the tenant was disabled).
        await silo.Grains.GetGrain<ITenantGrain>(tenant).BeginDelete();
        var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync(MemoryScope.Agent("bot"), Samples.Conversation()));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("is being deleted", refused.Message, StringComparison.Ordinal);
        using var ops = silo.TypedClient();
        Assert.Equal([new OwnerSummary("user", "alice")], (await ops.ListTenantOwnersAsync(tenant)).Items);
        Assert.Equal(5, (await ops.GetTenantStatsAsync(tenant)).MessagesIngested);
        await ops.DeleteTenantAsync(tenant);
    }

    [Fact]
    public async Task Unknown_and_invalid_tenants_are_refused_and_a_tenant_key_cannot_delete()
    {
        using var ops = silo.TypedClient();
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.DeleteTenantAsync("nobody-" + Guid.NewGuid().ToString("N")[..8]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Assert.ThrowsAsync<HelaMemApiException>(() => ops.DeleteTenantAsync("a~b"))).StatusCode);

        var (tenant, _, http) = await silo.CreateTenantAsync("self");
        using var _ = http;
        await (await http.DeleteAsync(new Uri($"/v1/admin/tenants/{tenant}", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.NotNull(await ops.GetTenantAsync(tenant));
    }
}
