using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// Semantic memory a user can see through the API: a fresh user's consolidation yields a profile and facts, search
/// returns them with provenance and why they matched, and deleting a memory deletes what was derived only from it.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class SemanticMemoryRouteTests(SiloFactory silo)
{
    private async Task<HelaMemClient> TenantAsync()
    {
        var (_, apiKey, http) = await silo.CreateTenantAsync();
        http.Dispose();
        return silo.TypedClient(apiKey);
    }

    [Fact]
    public async Task A_fresh_users_consolidation_makes_profile_and_facts_that_search_explains_and_deletes_follow()
    {
        using var client = await TenantAsync();
        await client.IngestAsync("sem", Samples.Conversation());
        var empty = await client.GetProfileAsync("sem");
        Assert.Empty(empty.Profile);
        Assert.Empty(empty.Knowledge);

        var run = await client.ConsolidateAsync("sem");

        Assert.Equal(5, run.TurnsDistilled);
        Assert.Equal(0, run.TurnsPending);
        Assert.False(run.Deferred);
        Assert.True(run.ItemsAdded > 0);
        var profile = await client.GetProfileAsync("sem");
        var violin = Assert.Single(profile.Profile, i => i.Text == "Alice is learning to play the violin on weekends");
        Assert.Equal("Alice", violin.Subject);
        Assert.Equal([3L], violin.Sources);
        Assert.NotNull(violin.Slot);
        Assert.Null(violin.Score);
        var rex = Assert.Single(profile.Knowledge, i => i.Text.StartsWith("Alice adopted a golden retriever puppy named Rex", StringComparison.Ordinal));
        Assert.Equal("fact", rex.Kind);
        Assert.Equal([0L], rex.Sources);

        var search = await client.SearchAsync("sem", new SearchRequest("Does Alice play the violin?"));
        var matched = Assert.Single(search.Profile, i => i.Text == violin.Text);
        Assert.NotNull(matched.Score);
        Assert.Contains("cosine", matched.Reason, StringComparison.Ordinal);
        Assert.All(search.Knowledge, i => Assert.NotNull(i.Reason));
        Assert.Contains(violin.Text, search.Context, StringComparison.Ordinal);

        await client.DeleteMemoryAsync("sem", 3);

        var after = await client.GetProfileAsync("sem");
        Assert.DoesNotContain(after.Profile, i => i.Text == violin.Text);
        Assert.Contains(after.Knowledge, i => i.Text == rex.Text);
        Assert.DoesNotContain(after.Profile.Concat(after.Knowledge), i => i.Sources.Contains(3L));
    }
}
