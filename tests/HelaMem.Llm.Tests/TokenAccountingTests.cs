using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm.Tests;

/// <summary>Tokens reported per tenant to the sink, and the per-tenant quota.</summary>
public sealed class TokenAccountingTests
{
    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task Every_call_reports_the_providers_token_counts_to_the_sink_under_the_current_tenant(string provider)
    {
        await using var bed = await LlmTestbed.StartAsync(provider);

        using (LlmTenant.Enter("acme"))
        {
            await bed.Chat.GetResponseAsync("where did Caroline go");
            await bed.Embeddings.GenerateAsync(["Rex loves the beach", "a dog"]);
        }

        using (LlmTenant.Enter("globex"))
        {
            await bed.Chat.GetResponseAsync("hi");
        }

        await bed.Embeddings.GenerateAsync(["no tenant scope"]);

        var served = bed.Server.Requests;
        var expected = new[]
        {
            new LlmUsage("acme", "chat", bed.Options.ChatModel!, served[0].PromptTokens, served[0].CompletionTokens),
            new LlmUsage("acme", "embedding", bed.Options.EmbeddingModel!, served[1].PromptTokens, 0),
            new LlmUsage("globex", "chat", bed.Options.ChatModel!, served[2].PromptTokens, served[2].CompletionTokens),
            new LlmUsage(LlmTenant.Unattributed, "embedding", bed.Options.EmbeddingModel!, served[3].PromptTokens, 0),
        };
        Assert.Equal(expected, bed.Usage.Usages);
        Assert.Equal((4, 5), (served[0].PromptTokens, served[0].CompletionTokens));
        Assert.Equal(6, served[1].PromptTokens);
        Assert.Equal(15, bed.Quota.Used("acme"));
    }

    [Fact]
    public async Task A_failed_call_reports_nothing()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.OpenAI, options => options.MaxRetries = 0);
        bed.Server.Script(FakeReply.ServerError);

        using (LlmTenant.Enter("acme"))
        {
            await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Chat.GetResponseAsync("hello"));
        }

        Assert.Empty(bed.Usage.Usages);
        Assert.Equal(0, bed.Quota.Used("acme"));
    }

    [Fact]
    public async Task A_tenant_whose_budget_is_used_up_is_refused_without_a_call_while_others_go_on()
    {
        var quota = new InMemoryTokenQuota(1_000, new Dictionary<string, long> { ["small"] = 5 });
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, quota: quota);

        using (LlmTenant.Enter("small"))
        {
            // 2 prompt + 3 completion tokens: the budget of 5 is used up by this call, which was allowed to start.
            await bed.Chat.GetResponseAsync("hello there");
            var refused = await Assert.ThrowsAsync<LlmQuotaExceededException>(() => bed.Embeddings.GenerateAsync(["more"]));
            Assert.Equal("small", refused.Tenant);
            Assert.Equal("Tenant 'small' has used up its LLM token quota; no call was made.", refused.Message);
        }

        Assert.Single(bed.Server.Requests);
        using (LlmTenant.Enter("large"))
        {
            await bed.Embeddings.GenerateAsync(["more"]);
        }

        Assert.Equal(2, bed.Server.Requests.Count);
        quota.Reset("small");
        using (LlmTenant.Enter("small"))
        {
            await bed.Chat.GetResponseAsync("back again");
        }

        Assert.Equal(3, bed.Server.Requests.Count);
    }

    [Fact]
    public async Task Tenant_scopes_nest_and_restore_the_outer_tenant()
    {
        using (LlmTenant.Enter("outer"))
        {
            using (LlmTenant.Enter("inner"))
            {
                Assert.Equal("inner", LlmTenant.Current);
                await Task.Yield();
                Assert.Equal("inner", LlmTenant.Current);
            }

            Assert.Equal("outer", LlmTenant.Current);
        }

        Assert.Equal(LlmTenant.Unattributed, LlmTenant.Current);
    }
}
