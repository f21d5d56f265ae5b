using System.Net;
using System.Text;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Tenancy;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// Agents and runs beside users: <c>/v1/agents/{agent}</c> and <c>/v1/runs/{run}</c> carry every route of
/// <c>/v1/users/{user}</c>, each owner is a memory of its own (the same id in three scopes is three memories), isolated
/// between tenants like users, counted by the users quota, and an invalid id is a 400 naming its scope.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class OwnerScopeTests(SiloFactory silo)
{
    public static TheoryData<string> Scopes => ["agent", "run"];

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task Every_route_works_for_an_agent_and_a_run(string kind)
    {
        var (_, apiKey, http) = await silo.CreateTenantAsync();
        http.Dispose();
        using var client = silo.TypedClient(apiKey);
        var owner = Scope(kind, "bot-1");

        var ingest = await client.IngestAsync(owner, Samples.Conversation());
        Assert.Equal(("bot-1", kind, 5L), (ingest.User, ingest.Scope, ingest.NodeCount));

        var found = await client.SearchAsync(owner, new SearchRequest("Where does my sister live? Lisbon", Explain: true));
        Assert.Equal(kind, found.Scope);
        Assert.Contains("Lisbon", found.Items[0].Content, StringComparison.Ordinal);
        Assert.Equal("conv-1", found.Items[0].ConversationId);
        await client.ReportUsageAsync(owner, new UsageReport(found.RetrievalId, [found.Items[0].Id]));

        var page = await client.ListMemoriesAsync(owner, 0, 3);
        Assert.Equal(("bot-1", 5L), (page.User, page.Total));
        Assert.Equal([0L, 1, 2], page.Items.Select(m => m.Id));
        Assert.Equal("D1:2", (await client.GetMemoryAsync(owner, 1)).Metadata["dia_id"]);
        Assert.Equal("bot-1", (await client.GetProfileAsync(owner)).User);
        Assert.True((await client.ConsolidateAsync(owner)).CompletedAt > DateTimeOffset.MinValue);

        await client.DeleteMemoryAsync(owner, 1);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetMemoryAsync(owner, 1))).StatusCode);
        var stats = await client.GetOwnerStatsAsync(owner);
        Assert.Equal(("bot-1", kind, 5L), (stats.User, stats.Scope, stats.Nodes));
        Assert.Equal(1, stats.Retrievals);

        var receipt = await client.DeleteOwnerAsync(owner);
        Assert.Equal(("bot-1", kind), (receipt.User, receipt.Scope));
        Assert.Equal(4, receipt.NodesDeleted);
        var gone = await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetOwnerStatsAsync(owner));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains($"{char.ToUpperInvariant(kind[0])}{kind[1..]} 'bot-1' has no memories", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_an_agent_and_a_run_with_the_same_id_are_three_separate_memories()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync();
        http.Dispose();
        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync(MemoryScope.User("x"), new IngestRequest([new MessageInput("I grow tomatoes in my garden")]));
        await client.IngestAsync(MemoryScope.Agent("x"), new IngestRequest([new MessageInput("The agent books trains, never planes"), new MessageInput("The agent answers in French")]));
        await client.IngestAsync(MemoryScope.Run("x"), new IngestRequest([new MessageInput("Run step: searched hotels in Porto"), new MessageInput("Run step: compared prices"), new MessageInput("Run step: booked the cheapest")]));

        Assert.Equal(1, (await client.GetUserStatsAsync("x")).Nodes);
        Assert.Equal(2, (await client.GetOwnerStatsAsync(MemoryScope.Agent("x"))).Nodes);
        Assert.Equal(3, (await client.GetOwnerStatsAsync(MemoryScope.Run("x"))).Nodes);
        Assert.All((await client.SearchAsync(MemoryScope.Agent("x"), new SearchRequest("tomatoes garden"))).Items, i => Assert.StartsWith("The agent", i.Content, StringComparison.Ordinal));
        Assert.All((await client.SearchAsync("x", new SearchRequest("hotels in Porto"))).Items, i => Assert.Contains("tomatoes", i.Content, StringComparison.Ordinal));
        using (var ops = silo.TypedClient())
        {
            Assert.Equal(3, (await ops.GetTenantStatsAsync(tenant)).Users);
        }

        // Deleting one leaves the other two as they were.
        await client.DeleteOwnerAsync(MemoryScope.Agent("x"));
        Assert.Equal(1, (await client.GetUserStatsAsync("x")).Nodes);
        Assert.Equal(3, (await client.GetOwnerStatsAsync(MemoryScope.Run("x"))).Nodes);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.ListMemoriesAsync(MemoryScope.Agent("x")))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task Another_tenant_cannot_reach_an_agent_or_a_run(string kind)
    {
        var (victim, victimKey, victimHttp) = await silo.CreateTenantAsync("victim");
        var (_, _, attacker) = await silo.CreateTenantAsync("attacker");
        victimHttp.Dispose();
        using var _a = attacker;
        using var victimClient = silo.TypedClient(victimKey);
        await victimClient.IngestAsync(Scope(kind, "bot"), Samples.Conversation());
        var before = await victimClient.GetOwnerStatsAsync(Scope(kind, "bot"));

        var root = $"/v1/{kind}s/bot";
        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, $"{root}/search", new SearchRequest("sister Lisbon")),
            (HttpMethod.Get, $"{root}/stats", null),
            (HttpMethod.Get, $"{root}/profile", null),
            (HttpMethod.Get, $"{root}/memories", null),
            (HttpMethod.Get, $"{root}/memories/0", null),
            (HttpMethod.Delete, $"{root}/memories/0", null),
            (HttpMethod.Post, $"{root}/usage", new UsageReport(1, [0, 1])),
            (HttpMethod.Post, $"{root}/consolidate", null),
            (HttpMethod.Delete, root, null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Http.Json(body) };
            var response = await attacker.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.DoesNotContain("Lisbon", text, StringComparison.Ordinal);
            Assert.DoesNotContain(victim, text, StringComparison.Ordinal);
        }

        // The grain call filter refuses calls into the victim's agent or run graph made for another tenant.
        TenantContext.Set("someone-else");
        try
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => silo.Grains.GetGrain<IUserGraphGrain>($"{victim}/{kind}~bot").Stats());
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => silo.Grains.GetGrain<IMemoryNodeGrain>($"{victim}/{kind}~bot/0").Read(0));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => silo.Grains.GetGrain<IMemoryAnnotationGrain>($"{victim}/{kind}~bot").Lookup([0]));
        }
        finally
        {
            TenantContext.Clear();
        }

        var after = await victimClient.GetOwnerStatsAsync(Scope(kind, "bot"));
        Assert.Equal(before with { Step = after.Step }, after);
        Assert.Equal(5, (await victimClient.ListMemoriesAsync(Scope(kind, "bot"))).Items.Count);
    }

    [Theory]
    [InlineData("agents", "agent", "an agent id", "a%21b", "'!'")]
    [InlineData("runs", "run", "a run id", "has%20space", "' '")]
    [InlineData("agents", "agent", "an agent id", "a~b", "'~'")]
    [InlineData("runs", "run", "a run id", "r%2F1", "'/'")]
    public async Task Invalid_agent_and_run_ids_are_a_400_in_their_own_words_and_store_nothing(string plural, string kind, string rule, string id, string shown)
    {
        var (tenant, _, http) = await silo.CreateTenantAsync();
        using var _ = http;
        var response = await http.PostAsync(new Uri($"/v1/{plural}/{id}/messages", UriKind.Relative), Http.Json(Samples.Conversation()));
        var detail = (await response.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
        Assert.StartsWith($"Invalid {kind} id", detail, StringComparison.Ordinal);
        Assert.Contains(shown, detail, StringComparison.Ordinal);
        Assert.Contains($"{rule} is 1–128 characters: letters, digits, '-', '_', '.' and '@', and not '.' or '..'", detail, StringComparison.Ordinal);

        var tooLong = await http.GetAsync(new Uri($"/v1/{plural}/{new string('a', 129)}/stats", UriKind.Relative));
        Assert.Contains("129 characters long", (await tooLong.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(tenant);
    }

    [Theory]
    [InlineData("/v1/agents/../messages", "/v1/messages", "agent")]
    [InlineData("/v1/runs/./messages", "/v1/runs/messages", "run")]
    public async Task Dot_agent_and_run_ids_are_a_400_as_the_request_target_was_sent(string sent, string normalized, string kind)
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync();
        http.Dispose();
        var context = await silo.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = normalized;
            c.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = sent;
            c.Request.Headers.Authorization = $"Bearer {apiKey}";
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"messages\": [{\"content\": \"hi\"}]}"));
        });
        Assert.Equal(400, context.Response.StatusCode);
        var detail = System.Text.Json.JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith($"Invalid {kind} id '", detail, StringComparison.Ordinal);
        await AssertNothingStoredAsync(tenant);
    }

    [Fact]
    public async Task The_users_quota_counts_agents_and_runs_as_memory_owners()
    {
        var (tenant, apiKey, http) = await silo.CreateTenantAsync(quotas: new TenantQuotas(MaxUsers: 2));
        http.Dispose();
        using var client = silo.TypedClient(apiKey);
        await client.IngestAsync("u", Samples.Conversation());
        await client.IngestAsync(MemoryScope.Agent("u"), Samples.Conversation());

        var refused = await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync(MemoryScope.Run("u"), Samples.Conversation()));
        Assert.Equal((HttpStatusCode.Forbidden, "maxUsers"), (refused.StatusCode, refused.Quota));
        Assert.Contains("memory owners: users, agents and runs", refused.Message, StringComparison.Ordinal);
        Assert.Contains("run 'u' was not created", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetOwnerStatsAsync(MemoryScope.Run("u")))).StatusCode);

        // Existing owners go on; deleting one frees its place.
        Assert.Equal(10, (await client.IngestAsync(MemoryScope.Agent("u"), Samples.Conversation())).NodeCount);
        await client.DeleteUserAsync("u");
        Assert.Equal("run", (await client.IngestAsync(MemoryScope.Run("u"), Samples.Conversation())).Scope);
        using var ops = silo.TypedClient();
        Assert.Equal(2, (await ops.GetTenantStatsAsync(tenant)).Users);
    }

    private static MemoryScope Scope(string kind, string id) => kind == "agent" ? MemoryScope.Agent(id) : MemoryScope.Run(id);

    private async Task AssertNothingStoredAsync(string tenant)
    {
        using var ops = silo.TypedClient();
        var stats = await ops.GetTenantStatsAsync(tenant);
        Assert.Equal((0, 0), (stats.Users, stats.MessagesIngested));
        Assert.Empty((await ops.ListTenantOwnersAsync(tenant)).Items);
    }
}
