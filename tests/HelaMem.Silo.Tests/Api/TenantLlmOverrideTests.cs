using System.Net;
using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Llm;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// A tenant's LLM provider override (<c>llm</c> in PUT /v1/admin/tenants/{tenant}/settings) on a silo with a provider:
/// stored with the tenant, used by <see cref="ITenantLlmClients"/> for that tenant only, refused naming the field,
/// operators only.
/// </summary>
public sealed class TenantLlmOverrideTests(LlmProviders providers) : IClassFixture<LlmProviders>, IAsyncLifetime
{
    private SiloFactory _silo = null!;

    public Task InitializeAsync()
    {
        _silo = providers.CreateSilo();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_override_sends_its_tenants_calls_to_its_endpoint_and_models_and_other_tenants_to_the_silos()
    {
        using var ops = _silo.TypedClient();
        var (a, _, httpA) = await _silo.CreateTenantAsync("llm-a");
        var (b, _, httpB) = await _silo.CreateTenantAsync("llm-b");
        httpA.Dispose();
        httpB.Dispose();
        var wanted = new TenantLlmSettings(Endpoint: providers.Listed.OpenAIEndpoint, ChatModel: "a-chat");

        var updated = await ops.SetTenantLlmAsync(a, wanted);
        Assert.Equal(wanted, updated.Llm);
        Assert.Equal(wanted, (await ops.GetTenantAsync(a)).Llm);
        Assert.Null((await ops.GetTenantAsync(b)).Llm);

        var clients = _silo.Services.GetRequiredService<ITenantLlmClients>();
        var (siloBefore, listedBefore) = (providers.Silo.Requests.Count, providers.Listed.Requests.Count);
        var answerA = await (await clients.ChatClientAsync(a)).GetResponseAsync("from A");
        await (await clients.EmbeddingGeneratorAsync(a)).GenerateAsync(["vector for A"]);
        await (await clients.ChatClientAsync(b)).GetResponseAsync("from B");

        // A's calls reach the listed endpoint with A's chat model and the silo's embedding model; B's reach the silo's.
        Assert.Equal("echo: from A", answerA.Text);
        Assert.Equal([("chat", "a-chat", 200), ("embeddings", "silo-embed", 200)], providers.Listed.Requests.Skip(listedBefore).Select(r => (r.Operation, r.Model, r.Status)));
        Assert.Equal([("chat", "silo-chat", 200)], providers.Silo.Requests.Skip(siloBefore).Select(r => (r.Operation, r.Model, r.Status)));

        // A change is used by the next call: the tenant's clients are made again for the new override.
        await ops.SetTenantLlmAsync(a, wanted with { ChatModel = "a-chat-2" });
        await (await clients.ChatClientAsync(a)).GetResponseAsync("again from A");
        Assert.Equal("a-chat-2", providers.Listed.Requests[^1].Model);

        // Cleared (an llm object with no field): A is back on the silo's provider.
        var cleared = await ops.ClearTenantLlmAsync(a);
        Assert.Null(cleared.Llm);
        Assert.Null((await _silo.Grains.GetGrain<ITenantGrain>(a).Settings()).Llm);
        siloBefore = providers.Silo.Requests.Count;
        await (await clients.ChatClientAsync(a)).GetResponseAsync("A on the silo");
        Assert.Equal(("chat", "silo-chat"), providers.Silo.Requests.Skip(siloBefore).Select(r => (r.Operation, r.Model)).Single());
    }

    [Fact]
    public async Task Consolidation_distills_a_tenants_memory_with_the_chat_model_of_its_override()
    {
        using var ops = _silo.TypedClient();
        var (tenant, apiKey, http) = await _silo.CreateTenantAsync("llm-distill");
        http.Dispose();
        await ops.SetTenantLlmAsync(tenant, new TenantLlmSettings(Endpoint: providers.Listed.OpenAIEndpoint, ChatModel: "distill-chat"));
        using var client = _silo.TypedClient(apiKey);
        await client.IngestAsync("nora", new IngestRequest([new MessageInput("I adopted a puppy called Rex last week.", "Nora")]));

        var (siloBefore, listedBefore) = (providers.Silo.Requests.Count, providers.Listed.Requests.Count);
        providers.Listed.ScriptAnswers("""
            {"profile": [{"subject": "Nora", "attribute": "pets", "text": "Nora has a puppy called Rex", "sources": [0]}],
             "facts": [], "agent_knowledge": []}
            """);
        await client.ConsolidateAsync(HelaMem.Client.MemoryScope.User("nora"), forget: false);

        // The extraction went to the override's endpoint with its chat model; nothing went to the silo's.
        Assert.Contains(providers.Listed.Requests.Skip(listedBefore), r => r.Operation == "chat" && r.Model == "distill-chat" && r.Status == 200);
        Assert.DoesNotContain(providers.Silo.Requests.Skip(siloBefore), r => r.Operation == "chat");
        var profile = await client.GetProfileAsync("nora");
        Assert.Contains(profile.Profile, item => item.Text == "Nora has a puppy called Rex");
    }

    [Fact]
    public async Task Updating_quotas_or_retrieval_keeps_the_override_and_an_empty_field_keeps_the_silos_value()
    {
        using var ops = _silo.TypedClient();
        var (tenant, _, http) = await _silo.CreateTenantAsync("llm-keep");
        http.Dispose();
        await ops.SetTenantLlmAsync(tenant, new TenantLlmSettings(ChatModel: "kept-chat", EmbeddingModel: ""));

        var updated = await ops.UpdateTenantSettingsAsync(tenant, new TenantSettingsUpdate(new TenantQuotas(MaxUsers: 4), new RetrievalSettings(TopK: 3)));
        Assert.Equal(new TenantLlmSettings(ChatModel: "kept-chat"), updated.Llm);
        Assert.Equal(4, updated.Quotas.MaxUsers);
    }

    [Theory]
    [InlineData("""{"llm": {"endpoint": "https://attacker.example.com/v1"}}""", "llm.endpoint 'https://attacker.example.com/v1' is not one the operator allows for tenants (HelaMem:Llm:TenantEndpoints")]
    [InlineData("""{"llm": {"endpoint": "not an address"}}""", "llm.endpoint")]
    [InlineData("""{"llm": {"chatModel": "two words"}}""", "llm.chatModel 'two words' must not contain whitespace")]
    [InlineData("""{"llm": {"embeddingModel": "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"}}""", "llm.embeddingModel")]
    [InlineData("""{"llm": {"apiVersion": "2024-10-21"}}""", "llm.apiVersion applies to azure-openai only")]
    [InlineData("""{"quotas": {"maxUsers": 2}, "llm": {"endpoint": "ftp://127.0.0.1/v1"}}""", "llm.endpoint")]
    [InlineData("""{"llm": {"chatModel": 5}}""", "chatModel")]
    public async Task Invalid_overrides_are_400_naming_the_field_change_nothing_and_never_show_the_key(string body, string expected)
    {
        using var ops = _silo.TypedClient();
        var (tenant, _, http) = await _silo.CreateTenantAsync("llm-bad", new TenantQuotas(MaxUsers: 7));
        http.Dispose();
        await ops.SetTenantLlmAsync(tenant, new TenantLlmSettings(ChatModel: "before"));
        var before = await ops.GetTenantAsync(tenant);

        using var operatorHttp = _silo.OperatorHttp();
        var response = await operatorHttp.PutAsync(new Uri($"/v1/admin/tenants/{tenant}/settings", UriKind.Relative), Http.Json(body));
        var raw = await response.Content.ReadAsStringAsync();
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(LlmProviders.Key, raw, StringComparison.Ordinal);

        var after = await ops.GetTenantAsync(tenant);
        Assert.Equal((before.Quotas, before.Llm), (after.Quotas, after.Llm));
    }

    [Fact]
    public async Task Tenant_keys_can_neither_read_nor_set_an_override()
    {
        using var ops = _silo.TypedClient();
        var (tenant, _, own) = await _silo.CreateTenantAsync("llm-iso");
        var (_, _, other) = await _silo.CreateTenantAsync("llm-oth");
        using var _o = own;
        using var _t = other;
        await ops.SetTenantLlmAsync(tenant, new TenantLlmSettings(ChatModel: "operator-set"));

        foreach (var http in new[] { own, other })
        {
            var set = await http.PutAsync(new Uri($"/v1/admin/tenants/{tenant}/settings", UriKind.Relative), Http.Json("""{"llm": {"chatModel": "tenant-set"}}"""));
            await set.ProblemAsync(HttpStatusCode.Unauthorized);
            var read = await http.GetAsync(new Uri($"/v1/admin/tenants/{tenant}", UriKind.Relative));
            await read.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(new TenantLlmSettings(ChatModel: "operator-set"), (await ops.GetTenantAsync(tenant)).Llm);
        using var operatorHttp = _silo.OperatorHttp();
        Assert.DoesNotContain(LlmProviders.Key, await operatorHttp.GetStringAsync(new Uri($"/v1/admin/tenants/{tenant}", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_override_this_silo_no_longer_allows_is_refused_when_used_not_sent_elsewhere()
    {
        var (tenant, _, http) = await _silo.CreateTenantAsync("llm-old");
        http.Dispose();

        // As a silo whose TenantEndpoints no longer lists the endpoint finds it (set through the grain: the route refuses it).
        await _silo.Grains.GetGrain<ITenantGrain>(tenant).Configure(new TenantSettings(Llm: new TenantLlmOverride(Endpoint: "https://removed.example.com/v1")));
        var clients = _silo.Services.GetRequiredService<ITenantLlmClients>();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await clients.ChatClientAsync(tenant));
        Assert.Contains($"Tenant {tenant}'s LLM override", refused.Message, StringComparison.Ordinal);
        Assert.Contains("endpoint 'https://removed.example.com/v1'", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LlmProviders.Key, refused.Message, StringComparison.Ordinal);
    }
}

/// <summary>A tenant's override is stored with its settings (SQLite) and used after a restart of the silo.</summary>
public sealed class TenantLlmOverrideRestartTests(LlmProviders providers) : IClassFixture<LlmProviders>
{
    [Fact]
    public async Task An_override_survives_a_restart()
    {
        using var data = new TempDirectory();
        string tenant;
        var wanted = new TenantLlmSettings(Endpoint: providers.Listed.OpenAIEndpoint, ChatModel: "after-restart", EmbeddingModel: "a-embed");
        await using (var first = providers.CreateSilo(data))
        {
            (tenant, _, var http) = await first.CreateTenantAsync("llm-rs");
            http.Dispose();
            using var ops = first.TypedClient();
            await ops.SetTenantLlmAsync(tenant, wanted);
        }

        await using var second = providers.CreateSilo(data);
        using var again = second.TypedClient();
        Assert.Equal(wanted, (await again.GetTenantAsync(tenant)).Llm);
        var before = providers.Listed.Requests.Count;
        await (await second.Services.GetRequiredService<ITenantLlmClients>().ChatClientAsync(tenant)).GetResponseAsync("after the restart");
        Assert.Equal(("chat", "after-restart"), providers.Listed.Requests.Skip(before).Select(r => (r.Operation, r.Model)).Single());
    }
}

/// <summary>On a silo without a provider (the shared test silo: HelaMem:Llm:Provider none) an override is refused.</summary>
[Collection(SiloHostGroup.Name)]
public sealed class TenantLlmWithoutProviderTests(SiloFactory silo)
{
    [Fact]
    public async Task An_override_is_400_naming_llm_and_the_provider_setting_and_there_are_no_tenant_clients()
    {
        using var ops = silo.TypedClient();
        var (tenant, _, http) = await silo.CreateTenantAsync("nollm", new TenantQuotas(MaxUsers: 3));
        http.Dispose();
        using var operatorHttp = silo.OperatorHttp();

        var response = await operatorHttp.PutAsync(new Uri($"/v1/admin/tenants/{tenant}/settings", UriKind.Relative),
            Http.Json("""{"quotas": {"maxUsers": 9}, "llm": {"chatModel": "gpt-4o-mini"}}"""));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("llm cannot be set: this service has no LLM provider (HelaMem:Llm:Provider is none)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await ops.GetTenantAsync(tenant);
        Assert.Equal((3, (TenantLlmSettings?)null), (after.Quotas.MaxUsers, after.Llm));

        // An empty llm object asks for no override, which holds here too.
        Assert.Null((await ops.ClearTenantLlmAsync(tenant)).Llm);
        Assert.Null(silo.Services.GetService<ITenantLlmClients>());
    }
}
