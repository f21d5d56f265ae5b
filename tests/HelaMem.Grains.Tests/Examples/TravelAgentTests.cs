using HelaMem.Testing;

namespace HelaMem.Grains.Tests.Examples;

/// <summary>The example of docs/testing-your-agent.md: an agent tested against HelaMem in Orleans' in-process test cluster.</summary>
public sealed class TravelAgentTests
{
    private static readonly DateTimeOffset Monday = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_agent_remembers_what_each_user_told_it()
    {
        // One call: an in-process Orleans cluster with HelaMem's grains, on SQLite in a temporary directory.
        await using var cluster = await new HelaMemTestClusterBuilder().DeployAsync();
        var agent = new TravelAgent(cluster.GrainFactory, tenant: "travel-co");

        await agent.RememberAsync("ana", "Ana", "I am vegetarian and I hate long layovers.", Monday);
        await agent.RememberAsync("ana", "Ana", "My sister lives in Lisbon.", Monday.AddDays(1));
        await agent.RememberAsync("ben", "Ben", "I only fly business class.", Monday);

        var prompt = await agent.BuildPromptAsync("ana", "Book a flight to visit my sister", Monday.AddDays(7));

        Assert.Contains("Lisbon", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("business class", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agent_still_remembers_after_the_silo_holding_its_memory_dies()
    {
        await using var cluster = await new HelaMemTestClusterBuilder().WithSilos(2).DeployAsync();
        var agent = new TravelAgent(cluster.GrainFactory, tenant: "travel-co");
        await agent.RememberAsync("ana", "Ana", "My sister lives in Lisbon.", Monday);

        // Kill every silo in turn (as kill -9 of its process); what was acknowledged is in the shared store.
        foreach (var silo in cluster.Cluster.Silos.ToList())
        {
            await cluster.KillAndReplaceSiloAsync(silo);
        }

        var prompt = await agent.BuildPromptAsync("ana", "Book a flight to visit my sister", Monday.AddDays(7));
        Assert.Contains("Lisbon", prompt, StringComparison.Ordinal);
    }
}
