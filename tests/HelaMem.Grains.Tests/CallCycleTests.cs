using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core;
using HelaMem.Grains.Sessions;
using HelaMem.Grains.Tests.Fixtures;

namespace HelaMem.Grains.Tests;

/// <summary>
/// Orleans runs one request at a time per activation and has no call-chain reentrancy unless asked: a call that
/// comes back to a busy grain waits for the response timeout (10 s here, so a cycle fails the test instead of hanging
/// the suite). Each path where two grains call each other is driven from both ends at once, many times.
/// </summary>
public sealed class CallCycleTests
{
    // Strong learning and a low hub threshold: nodes report hubs to consolidation while retrievals run.
    private static readonly HelaMemOptions HubFriendly = HelaMemOptions.Default with { LearningRate = 0.3f, HubThreshold = 1.2f };

    [Fact]
    public async Task Spreading_waves_reinforcements_and_usage_reports_on_one_graph_at_once_all_complete()
    {
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "sam");
        await session.IngestAsync(FixtureConversation.Messages());

        // Waves ask node grains that are applying one-way reinforcements of earlier waves and usage reports.
        var calls = Enumerable.Range(0, 40).Select(async i =>
        {
            var response = await session.RetrieveAsync(FixtureConversation.Questions[i % FixtureConversation.Questions.Count], FixtureConversation.End);
            if (response.Items.Count > 1)
            {
                await session.ReportUsageAsync(response.RetrievalId, [response.Items[0].NodeId, response.Items[1].NodeId]);
            }

            return response;
        });

        var responses = await Task.WhenAll(calls);
        Assert.All(responses, r => Assert.NotEmpty(r.Items));
        Assert.Equal(40, (await session.Graph.Stats()).Retrievals);
    }

    [Fact]
    public async Task Consolidation_asking_its_graph_while_the_graph_ingests_and_asks_consolidation_never_deadlocks()
    {
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "cyc");
        var consolidation = cluster.Grains.GetGrain<IConsolidationGrain>("acme/cyc");
        await session.IngestAsync(FixtureConversation.Messages());

        for (var round = 0; round < 8; round++)
        {
            // A fresh graph activation makes sure the reminder exists at its first ingest (graph → consolidation),
            // while the run reads the graph's snapshot and archives through it (consolidation → graph).
            await cluster.DeactivateAsync(session.Graph);
            await cluster.DeactivateAsync(consolidation);
            var run = consolidation.RunNow(FixtureConversation.End.AddDays(90), forget: true);
            var ingest = session.Graph.Ingest([new IngestMessage($"cyc: round {round} note", "cyc", FixtureConversation.End.AddMinutes(round), "conv")]);
            var retrieve = session.RetrieveAsync("Melanie painting sunrise lake", FixtureConversation.End);
            await Task.WhenAll(run, ingest, retrieve);
        }

        var status = await consolidation.Status();
        Assert.Equal(8, status.Runs);
        Assert.True(status.ReminderActive);
    }

    [Fact]
    public async Task Deleting_a_user_while_consolidation_runs_on_it_never_deadlocks()
    {
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly);
        for (var round = 0; round < 4; round++)
        {
            var user = $"del{round}";
            var session = new GrainRetrievalSession(cluster.Grains, "acme", user);
            await session.IngestAsync(FixtureConversation.Messages());
            await session.RetrieveAsync("Melanie painting sunrise lake", FixtureConversation.End);

            // The graph's delete clears consolidation (graph → consolidation) while the run asks the graph.
            var run = cluster.Grains.GetGrain<IConsolidationGrain>($"acme/{user}").RunNow(FixtureConversation.End.AddDays(90), forget: true);
            var delete = session.DeleteAsync();
            try
            {
                await run;
            }
            catch (ArgumentException)
            {
                // The run archived through a graph that the delete had already emptied: it is refused, not stuck.
            }

            var receipt = await delete;
            Assert.Equal(FixtureConversation.Messages().Count, receipt.NodesDeleted);
            Assert.Equal(0, (await session.Graph.Stats()).Nodes);
        }
    }

    [Fact]
    public async Task Nodes_reporting_hubs_to_a_consolidation_run_that_reads_them_never_deadlock()
    {
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly);
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "hub");
        var consolidation = cluster.Grains.GetGrain<IConsolidationGrain>("acme/hub");
        await session.IngestAsync(FixtureConversation.Messages());

        // Retrievals make nodes cross δ_hub and report to consolidation (node → consolidation) while runs read,
        // distill and mark those nodes (consolidation → node).
        var retrievals = Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            session.RetrieveAsync(FixtureConversation.Questions[i % FixtureConversation.Questions.Count], FixtureConversation.End)));
        var runs = Task.WhenAll(Enumerable.Range(0, 5).Select(_ => consolidation.RunNow(FixtureConversation.End, forget: false)));
        await Task.WhenAll(retrievals, runs);

        await consolidation.RunNow(FixtureConversation.End, forget: false);
        var status = await consolidation.Status();
        Assert.Equal(6, status.Runs);
        Assert.NotEmpty(status.DistilledHubs);

        // A hub is distilled once: a late report of a distilled hub does not make it pending again.
        Assert.Empty(status.PendingHubs.Intersect(status.DistilledHubs));
    }

    [Fact]
    public async Task Many_users_of_one_tenant_ingesting_while_the_operator_changes_its_settings_all_complete()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var tenant = cluster.Grains.GetGrain<ITenantGrain>("busy");

        // Every graph asks the tenant (settings at activation, admission at each ingest) while the tenant is
        // reconfigured; the tenant never calls a graph back.
        var ingests = Enumerable.Range(0, 16).Select(i =>
            new GrainRetrievalSession(cluster.Grains, "busy", $"user{i}").IngestAsync(FixtureConversation.Messages(), batchSize: 4));
        var settings = Enumerable.Range(0, 10).Select(i => tenant.Configure(new TenantSettings(MaxUsers: 100 + i)));
        await Task.WhenAll(ingests.Cast<Task>().Concat(settings));

        var usage = await tenant.Usage();
        Assert.Equal(16, usage.Users);
        Assert.Equal(16L * FixtureConversation.Messages().Count, usage.MessagesIngested);
    }

    [Fact]
    public async Task The_durable_reminder_consolidates_on_its_own_and_keeps_firing_after_the_silo_is_killed()
    {
        using var data = new TempDirectory();
        await using var cluster = await MemoryCluster.StartAsync(HubFriendly, sqliteDirectory: data.Path, configure: o => o.ConsolidationPeriod = TimeSpan.FromSeconds(1));
        var session = new GrainRetrievalSession(cluster.Grains, "acme", "rem");
        var consolidation = cluster.Grains.GetGrain<IConsolidationGrain>("acme/rem");
        await session.IngestAsync(FixtureConversation.Messages());
        await session.RetrieveAsync("Melanie painting sunrise lake", FixtureConversation.End);

        // Nobody calls RunNow: only the reminder (in the SQLite reminder table) drives these runs.
        await WaitUntilAsync(async () => (await consolidation.Status()).Runs >= 2);

        await cluster.KillAndRestartAsync();
        var runsAfterRestart = (await consolidation.Status()).Runs;
        await WaitUntilAsync(async () => (await consolidation.Status()).Runs >= runsAfterRestart + 2);
        Assert.True((await consolidation.Status()).ReminderActive);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 60 s.");
            await Task.Delay(100);
        }
    }
}
