using HelaMem.Grains.Hosting;
using HelaMem.TestingHost;

namespace HelaMem.Grains.Tests.Examples;

/// <summary>The example of docs/testing-your-agent.md: an agent tested against the shipped in-process cluster.</summary>
public sealed class TravelAgentTests
{
    private static readonly DateTimeOffset Monday = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_agent_remembers_what_each_user_told_it()
    {
        // One call: an in-process cluster with the memory grains and the offline defaults.
        await using var cluster = await new TestClusterBuilder()
            .AddGrainAssembly(HelaMemGrains.Assembly)
            .ConfigureSilo(silo => silo.AddHelaMemGrains())
            .DeployAsync();
        var agent = new TravelAgent(cluster.GrainFactory, tenant: "travel-co");

        await agent.RememberAsync("ana", "Ana", "I am vegetarian and I hate long layovers.", Monday);
        await agent.RememberAsync("ana", "Ana", "My sister lives in Lisbon.", Monday.AddDays(1));
        await agent.RememberAsync("ben", "Ben", "I only fly business class.", Monday);

        var prompt = await agent.BuildPromptAsync("ana", "Book a flight to visit my sister", Monday.AddDays(7));

        Assert.Contains("Lisbon", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("business class", prompt, StringComparison.Ordinal);
    }
}
