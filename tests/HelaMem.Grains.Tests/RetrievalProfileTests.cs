using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tenants;
using HelaMem.Grains.Tests.Fixtures;
using HelaMem.Testing;

namespace HelaMem.Grains.Tests;

/// <summary>
/// Retrieval profiles: the tenant validates its profile, a silo default applies to tenants without one, and a user
/// graph keeps the profile it was created with, across tenant changes, restarts, and as "paper" for older state.
/// </summary>
public sealed class RetrievalProfileTests
{
    // The user graph's grain type: its key (tenant/user) is shared with the semantic-memory and consolidation grains.
    private const string GraphType = "user-graph";

    private static readonly IngestMessage[] Messages =
    [
        new("I painted a sunrise over the lake last weekend", "Mel", DateTimeOffset.Parse("2024-05-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "conv"),
        new("What colours did you use for the painting?", "Caroline", DateTimeOffset.Parse("2024-05-01T10:01:00Z", System.Globalization.CultureInfo.InvariantCulture), "conv"),
    ];

    [Fact]
    public async Task An_unknown_profile_is_refused_naming_the_allowed_values_and_changes_nothing()
    {
        await using var cluster = await StartAsync(defaultProfile: null, sqliteDirectory: null);
        var tenant = cluster.GrainFactory.GetGrain<ITenantGrain>("acme");
        await tenant.Configure(new TenantSettings(MaxUsers: 5, Profile: "helamem"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => tenant.Configure(new TenantSettings(MaxUsers: 7, Profile: "fast")));
        Assert.Contains("'fast'", error.Message, StringComparison.Ordinal);
        Assert.Contains("paper, helamem", error.Message, StringComparison.Ordinal);
        Assert.Equal(new TenantSettings(MaxUsers: 5, Profile: "helamem"), await tenant.Settings());
        Assert.Equal("helamem", await tenant.RetrievalProfile());
    }

    [Fact]
    public async Task A_tenant_without_a_profile_gets_the_silo_default_else_paper()
    {
        await using (var withDefault = await StartAsync(defaultProfile: "helamem", sqliteDirectory: null))
        {
            Assert.Equal("helamem", await withDefault.GrainFactory.GetGrain<ITenantGrain>("acme").RetrievalProfile());
            await withDefault.GrainFactory.GetGrain<ITenantGrain>("beta").Configure(new TenantSettings(Profile: "paper"));
            Assert.Equal("paper", await withDefault.GrainFactory.GetGrain<ITenantGrain>("beta").RetrievalProfile());
        }

        await using var without = await StartAsync(defaultProfile: null, sqliteDirectory: null);
        Assert.Equal("paper", await without.GrainFactory.GetGrain<ITenantGrain>("acme").RetrievalProfile());
    }

    [Fact]
    public async Task The_helamem_profile_shapes_the_stored_index_and_paper_does_not()
    {
        await using var cluster = await StartAsync(defaultProfile: "helamem", sqliteDirectory: null);
        await cluster.GrainFactory.GetGrain<ITenantGrain>("old").Configure(new TenantSettings(Profile: "paper"));
        await new GrainRetrievalSession(cluster.GrainFactory, "new", "ann").IngestAsync(Messages);
        await new GrainRetrievalSession(cluster.GrainFactory, "old", "ann").IngestAsync(Messages);

        var first = (await cluster.GrainFactory.GetGrain<IMemoryNodeGrain>("new/ann/0").Read(0))!;
        var reply = (await cluster.GrainFactory.GetGrain<IMemoryNodeGrain>("new/ann/1").Read(0))!;
        var plainReply = (await cluster.GrainFactory.GetGrain<IMemoryNodeGrain>("old/ann/1").Read(0))!;

        // helamem (inherit-keywords): the reply is also indexed under the keywords of the turn it answers; paper: its own only.
        Assert.NotEmpty(first.Keywords);
        Assert.Superset(first.Keywords.ToHashSet(StringComparer.Ordinal), reply.IndexedKeywords.ToHashSet(StringComparer.Ordinal));
        Assert.Equal(plainReply.Keywords.Order(StringComparer.Ordinal), plainReply.IndexedKeywords.Order(StringComparer.Ordinal));

        // helamem (stem-keywords): "painting" is indexed by its stem, paper keeps the word.
        Assert.Contains("painting", plainReply.Keywords);
        Assert.DoesNotContain("painting", reply.Keywords);
    }

    [Fact]
    public async Task A_graph_keeps_its_profile_after_a_tenant_change_and_a_restart_and_older_state_is_paper()
    {
        using var data = new TempDirectory();
        await using (var cluster = await StartAsync(defaultProfile: "helamem", sqliteDirectory: data.Path))
        {
            var alice = new GrainRetrievalSession(cluster.GrainFactory, "acme", "alice");
            await alice.IngestAsync(Messages);
            Assert.Equal("helamem", (await alice.RetrieveAsync("sunrise painting", Messages[^1].Timestamp)).RetrievalProfile);

            // The tenant moves to paper: only users created afterwards get it.
            await cluster.GrainFactory.GetGrain<ITenantGrain>("acme").Configure(new TenantSettings(Profile: "paper"));
            var bob = new GrainRetrievalSession(cluster.GrainFactory, "acme", "bob");
            await bob.IngestAsync(Messages);
            Assert.Equal("paper", (await bob.RetrieveAsync("sunrise painting", Messages[^1].Timestamp)).RetrievalProfile);
            Assert.Equal("helamem", (await alice.RetrieveAsync("sunrise painting", Messages[^1].Timestamp)).RetrievalProfile);
        }

        Assert.Contains("\"Profile\":\"helamem\"", StoredStates.Payload(data.Path, "acme/alice", GraphType), StringComparison.Ordinal);
        await using (var restarted = await StartAsync(defaultProfile: "helamem", sqliteDirectory: data.Path))
        {
            Assert.Equal("helamem", (await new GrainRetrievalSession(restarted.GrainFactory, "acme", "alice").RetrieveAsync("sunrise", Messages[^1].Timestamp)).RetrievalProfile);
            Assert.Equal("paper", (await new GrainRetrievalSession(restarted.GrainFactory, "acme", "bob").RetrieveAsync("sunrise", Messages[^1].Timestamp)).RetrievalProfile);
        }

        // State written before profiles existed: nodes but no profile. The silo ran the paper's algorithm then.
        // Written back as a version before profiles did: without the property.
        StoredStates.RemoveProperty(data.Path, "acme/alice", "Profile", GraphType);
        await using var legacy = await StartAsync(defaultProfile: "helamem", sqliteDirectory: data.Path);
        await legacy.GrainFactory.GetGrain<ITenantGrain>("acme").Configure(new TenantSettings(Profile: "helamem"));
        var response = await new GrainRetrievalSession(legacy.GrainFactory, "acme", "alice").RetrieveAsync("sunrise", Messages[^1].Timestamp);
        Assert.Equal("paper", response.RetrievalProfile);
        Assert.NotEmpty(response.Items);
    }

    [Fact]
    public async Task A_profile_that_would_change_the_silos_Hebbian_rule_is_refused_before_anything_is_stored()
    {
        // The released additive rule on the silo: helamem's decaying rule would differ from what the node grains run.
        await using var cluster = await StartAsync(defaultProfile: "helamem", sqliteDirectory: null, HelaMemOptions.Default with { HebbianRule = HebbianRule.Additive });
        var session = new GrainRetrievalSession(cluster.GrainFactory, "acme", "zoe");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => session.IngestAsync(Messages));
        Assert.Contains("Hebbian rule", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await cluster.GrainFactory.GetGrain<ITenantGrain>("acme").Usage()).MessagesIngested);

        // The same silo serves profile paper (its own options) normally.
        await cluster.GrainFactory.GetGrain<ITenantGrain>("other").Configure(new TenantSettings(Profile: "paper"));
        Assert.Equal(2, (await new GrainRetrievalSession(cluster.GrainFactory, "other", "zoe").IngestAsync(Messages)).Count);
    }

    private static async Task<HelaMemTestCluster> StartAsync(string? defaultProfile, string? sqliteDirectory, HelaMemOptions? algorithm = null)
    {
        var builder = new HelaMemTestClusterBuilder()
            .WithEmbedder(new HashingEmbedder())
            .ConfigureGrains(o =>
            {
                o.ConsolidationPeriod = TimeSpan.FromMinutes(5);
                o.Algorithm = algorithm ?? HelaMemOptions.Default;
            });
        if (defaultProfile is not null)
        {
            builder.WithDefaultRetrievalProfile(defaultProfile);
        }

        if (sqliteDirectory is not null)
        {
            builder.UseDataDirectory(sqliteDirectory);
        }

        return await builder.DeployAsync();
    }
}
