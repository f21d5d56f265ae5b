using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Consolidation;
using HelaMem.Grains.Distillation;
using HelaMem.Grains.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace HelaMem.Grains.Tests;

/// <summary>
/// The turn trigger: a fresh user's consolidation yields a profile and facts without any hub; the reminder distills
/// every N new turns and ended sessions; a deferred distillation leaves its turns pending; deletes take derived items.
/// </summary>
public sealed class SemanticConsolidationTests
{
    [Fact]
    public async Task A_fresh_users_consolidation_yields_a_profile_per_speaker_and_dated_facts_without_any_hub()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var session = cluster.Session("acme", "fresh");
        await session.IngestAsync(FixtureConversation.Messages());

        var report = await session.ConsolidateAsync(FixtureConversation.End);

        Assert.Equal(0, report.HubsDistilled);
        Assert.Equal(FixtureConversation.Messages().Count, report.TurnsDistilled);
        Assert.Equal(0, report.TurnsPending);
        var items = await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/fresh").Items();
        var profile = items.Where(i => i.Kind == SemanticItemKind.Profile).ToList();
        Assert.Contains(profile, i => i.Subject == "Caroline" && i.Text == "Caroline is thinking about becoming a counselor for young people");
        Assert.Contains(profile, i => i.Subject == "Melanie" && i.Text == "Melanie has a dog" && i.Slot == "melanie|has: dog");
        Assert.Contains(items, i => i.Kind == SemanticItemKind.Fact && i.Text == "Caroline went to the LGBTQ support group on 2023-05-07");
        Assert.All(items, i => Assert.NotEmpty(i.Sources));

        // A second run has no new turns: nothing is distilled twice.
        var again = await session.ConsolidateAsync(FixtureConversation.End);
        Assert.Equal(0, again.TurnsDistilled);
        Assert.Equal(0, again.ItemsAdded);
    }

    [Fact]
    public async Task The_reminder_distills_once_N_new_turns_arrived_and_leaves_an_open_session_shorter_than_N_waiting()
    {
        await using var cluster = await MemoryCluster.StartAsync(configure: o => o.ConsolidateEveryTurns = 4);
        var session = cluster.Session("acme", "remind");
        var now = DateTimeOffset.UtcNow;
        IngestMessage Turn(int i, string text) => new($"Melanie: {text}", "Melanie", now.AddMinutes(-10 + i), "chat");
        var consolidation = cluster.Grains.GetGrain<IConsolidationGrain>("acme/remind");
        var remindable = consolidation.AsReference<IRemindable>();
        var tick = new TickStatus(now.UtcDateTime, TimeSpan.FromMinutes(5), now.UtcDateTime);

        await session.IngestAsync([Turn(0, "I love painting landscapes."), Turn(1, "My kids help me."), Turn(2, "I ran a charity race yesterday.")]);
        await remindable.ReceiveReminder(ConsolidationGrain.ReminderName, tick);
        var waiting = (await consolidation.Status()).LastRun!;
        Assert.Equal(0, waiting.TurnsDistilled);
        Assert.Equal(3, waiting.TurnsPending);
        Assert.Empty(await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/remind").Items());

        await session.IngestAsync([Turn(3, "I am a big fan of pottery.")]);
        await remindable.ReceiveReminder(ConsolidationGrain.ReminderName, tick);
        var fired = (await consolidation.Status()).LastRun!;
        Assert.Equal(4, fired.TurnsDistilled);
        var items = await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/remind").Items();
        Assert.Contains(items, i => i.Text == "Melanie loves painting landscapes");
        Assert.Contains(items, i => i.Text == "Melanie is into pottery");
        Assert.Contains(items, i => i.Text == $"Melanie ran a charity race on {now.UtcDateTime.AddMinutes(-8).AddDays(-1):yyyy-MM-dd}");
    }

    [Fact]
    public async Task The_reminder_distills_a_session_that_ended_even_when_it_is_shorter_than_N()
    {
        await using var cluster = await MemoryCluster.StartAsync(configure: o => o.ConsolidateEveryTurns = 50);
        var session = cluster.Session("acme", "ended");
        var said = DateTimeOffset.UtcNow.AddHours(-2);
        await session.IngestAsync([new IngestMessage("Caroline: I moved to Boston last month.", "Caroline", said, "chat")]);

        var consolidation = cluster.Grains.GetGrain<IConsolidationGrain>("acme/ended");
        await consolidation.AsReference<IRemindable>().ReceiveReminder(ConsolidationGrain.ReminderName, new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(5), DateTime.UtcNow));

        Assert.Equal(1, (await consolidation.Status()).LastRun!.TurnsDistilled);
        var items = await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/ended").Items();
        Assert.Contains(items, i => i.Kind == SemanticItemKind.Profile && i.Text == "Caroline lives in Boston" && i.Slot == "caroline|lives in");
    }

    [Fact]
    public async Task A_deferred_distillation_stores_nothing_and_the_same_turns_are_distilled_on_the_next_run()
    {
        var distiller = new FlakyDistiller(failures: 1);
        await using var cluster = await MemoryCluster.StartAsync(configureSilo: silo => silo.Services.AddSingleton<IDistiller>(distiller));
        var session = cluster.Session("acme", "flaky");
        await session.IngestAsync(FixtureConversation.Messages());

        var deferred = await session.ConsolidateAsync(FixtureConversation.End);
        Assert.True(deferred.Deferred);
        Assert.Equal(0, deferred.TurnsDistilled);
        Assert.Equal(FixtureConversation.Messages().Count, deferred.TurnsPending);
        Assert.Empty(await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/flaky").Items());

        var retried = await session.ConsolidateAsync(FixtureConversation.End);
        Assert.False(retried.Deferred);
        Assert.Equal(FixtureConversation.Messages().Count, retried.TurnsDistilled);
        Assert.NotEmpty(await cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/flaky").Items());
        // One failed call, then one per session (the fixture's four sessions are a week apart).
        Assert.Equal(1 + 4, distiller.Calls);
    }

    [Fact]
    public async Task Deleting_a_memory_deletes_the_items_derived_only_from_it_and_keeps_the_others()
    {
        await using var cluster = await MemoryCluster.StartAsync();
        var session = cluster.Session("acme", "forget");
        var ids = await session.IngestAsync(FixtureConversation.Messages());
        await session.ConsolidateAsync(FixtureConversation.End);
        var semantic = cluster.Grains.GetGrain<ISemanticMemoryGrain>("acme/forget");
        var before = await semantic.Items();
        var fact = before.Single(i => i.Text == "Caroline went to the LGBTQ support group on 2023-05-07");
        var source = Assert.Single(fact.Sources);
        Assert.Equal(ids[0], source);

        Assert.True(await session.Graph.DeleteMemory(source));

        var after = await semantic.Items();
        Assert.DoesNotContain(after, i => i.Sources.Contains(source));
        Assert.Equal(before.Count(i => !i.Sources.All(s => s == source)), after.Count);

        // Durable: a new activation reads the same items back.
        await cluster.DeactivateAsync(semantic);
        Assert.Equal(after.Select(i => i.Text), (await semantic.Items()).Select(i => i.Text));
    }

    private sealed class FlakyDistiller(int failures) : IDistiller
    {
        private readonly ExtractiveGrainDistiller _inner = new();
        private int _calls;

        public int Calls => _calls;

        public Task<IReadOnlyList<SemanticItemData>> DistillAsync(DistillationRequest request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= failures
                ? throw new DistillationDeferredException("the provider is down (test)")
                : _inner.DistillAsync(request, cancellationToken);
    }
}
