using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>
/// The tenant grain's LLM override (<see cref="TenantSettings.Llm"/>): stored with the settings, an override with no
/// field set stored as none, values beyond the length bound refused without changing anything. The provider rules
/// (allowed endpoints, model names) are the silo's route's, which has the provider settings.
/// </summary>
public sealed class TenantLlmOverrideTests
{
    [Fact]
    public async Task An_override_is_kept_with_the_settings_and_an_empty_one_is_none()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        var llm = new TenantLlmOverride(Endpoint: "https://eu.openai.azure.com", ChatModel: "chat-eu");

        await tenant.Configure(new TenantSettings(MaxUsers: 3, Llm: llm));
        Assert.Equal(llm, (await tenant.Settings()).Llm);

        await tenant.Configure(new TenantSettings(MaxUsers: 3, Llm: new TenantLlmOverride()));
        Assert.Null((await tenant.Settings()).Llm);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_field_empty_or_beyond_the_bound_is_refused_and_changes_nothing(string? endpoint)
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("acme");
        var kept = new TenantSettings(MaxUsers: 3, Llm: new TenantLlmOverride(ChatModel: "kept"));
        await tenant.Configure(kept);

        var bad = endpoint ?? "https://x.example.com/" + new string('a', TenantLlmOverride.MaxFieldLength);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => tenant.Configure(new TenantSettings(Llm: new TenantLlmOverride(Endpoint: bad))));
        Assert.Contains($"1 to {TenantLlmOverride.MaxFieldLength} characters", error.Message, StringComparison.Ordinal);
        Assert.Equal(kept, await tenant.Settings());
    }
}
