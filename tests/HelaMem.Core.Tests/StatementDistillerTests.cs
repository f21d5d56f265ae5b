using HelaMem.Core.Consolidation;
using HelaMem.Core.Memory;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Tests;

/// <summary>The offline distiller: dated facts, relative dates, profile items per speaker, slots that replace.</summary>
public class StatementDistillerTests
{
    // A Thursday.
    private static readonly DateTimeOffset Said = new(2023, 5, 25, 13, 14, 0, TimeSpan.Zero);

    private static List<SemanticItem> Read(string speaker, string text, int index = 0) =>
        StatementExtractor.Extract(new MemoryNode(index, $"{speaker}: {text}", speaker, Said, []), ["assistant"]);

    [Fact]
    public void A_reported_event_becomes_a_fact_about_the_speaker_with_its_resolved_date()
    {
        var items = Read("Caroline", "I went to a LGBTQ support group yesterday and it was so powerful.");

        var fact = Assert.Single(items, i => i.Kind == SemanticKind.Fact);
        Assert.Equal("Caroline went to a LGBTQ support group on 2023-05-24", fact.Text);
        Assert.Equal("Caroline", fact.Subject);
        Assert.Equal([0], fact.Sources);
    }

    [Fact]
    public void An_event_without_a_time_expression_says_when_it_was_told()
    {
        var fact = Assert.Single(Read("Melanie", "We took the kids to the museum."), i => i.Kind == SemanticKind.Fact);

        Assert.Equal("Melanie and others took the kids to the museum (told on 2023-05-25)", fact.Text);
    }

    [Theory]
    [InlineData("I ran a charity race last Saturday.", "on 2023-05-20")]
    [InlineData("I ran a charity race last Thursday.", "on 2023-05-18")]
    [InlineData("I ran a charity race last week.", "in the week of 2023-05-15")]
    [InlineData("I ran a charity race last weekend.", "on the weekend of 2023-05-20")]
    [InlineData("I ran a charity race two weeks ago.", "in the week of 2023-05-08")]
    [InlineData("I ran a charity race 3 days ago.", "on 2023-05-22")]
    [InlineData("I ran a charity race last month.", "in April 2023")]
    [InlineData("I ran a charity race last year.", "in 2022")]
    [InlineData("I ran a charity race today.", "on 2023-05-25")]
    public void Relative_dates_resolve_against_the_turns_timestamp(string sentence, string phrase)
    {
        Assert.Equal($"Melanie ran a charity race {phrase}", Assert.Single(Read("Melanie", sentence), i => i.Kind == SemanticKind.Fact).Text);
    }

    [Fact]
    public void A_plan_with_a_relative_date_is_a_dated_fact()
    {
        var fact = Assert.Single(Read("Melanie", "We're going camping next month with the whole family."), i => i.Kind == SemanticKind.Fact);

        Assert.Equal("Melanie and others are going camping in June 2023 with the whole family", fact.Text);
    }

    [Fact]
    public void Stated_preferences_identity_family_and_values_become_profile_items_of_the_speaker()
    {
        var items = Read("Melanie", "I love painting with my kids. I'm a big fan of pottery. I'm married. Family is really important to me. I play the violin.");
        var profile = items.Where(i => i.Kind == SemanticKind.Profile).ToDictionary(i => i.Slot!, i => i.Text);

        Assert.Equal("Melanie loves painting with Melanie's kids", profile["melanie|preference: painting melanie's kids"]);
        Assert.Equal("Melanie has kids", profile["melanie|has: kid"]);
        Assert.Equal("Melanie is into pottery", profile["melanie|preference: pottery"]);
        Assert.Equal("Melanie is married", profile["melanie|relationship"]);
        Assert.Equal("Melanie values Family", profile["melanie|values: family"]);
        Assert.Equal("Melanie plays the violin", profile["melanie|activity: play violin"]);
        Assert.All(items.Where(i => i.Kind == SemanticKind.Profile), i => Assert.Equal("Melanie", i.Subject));
    }

    [Fact]
    public void Questions_reactions_and_other_peoples_news_are_not_profile_items()
    {
        Assert.Empty(Read("Caroline", "Do you like painting? I love that! I love your dog."));
    }

    [Fact]
    public void An_assistants_statements_about_itself_are_agent_knowledge_not_profile()
    {
        var items = Read("assistant", "I can set reminders for you. I love helping.");

        Assert.All(items, i => Assert.Equal(SemanticKind.AgentKnowledge, i.Kind));
        Assert.Contains(items, i => i.Text == "Assistant can set reminders for you");
    }

    [Fact]
    public void A_later_statement_on_the_same_slot_replaces_the_earlier_one_in_the_store()
    {
        var store = new SemanticStore(2);
        foreach (var (text, index) in new[] { ("I'm single.", 0), ("I love running.", 1), ("I'm engaged now!", 2), ("I hate running.", 3) })
        {
            foreach (var item in Read("Caroline", text, index))
            {
                store.Add(item, [1f, 0f]);
            }
        }

        var profile = store.Profile.Select(i => i.Text).ToList();
        Assert.Equal(["Caroline is engaged", "Caroline hates running"], profile);
        Assert.Equal([2], store.Profile.First().Sources);
    }

    [Fact]
    public void The_same_statement_again_adds_a_source_and_deleting_every_source_removes_the_item()
    {
        var store = new SemanticStore(2);
        store.Add(Read("Melanie", "My kids are great.", 4).Single(), [1f, 0f]);
        Assert.True(store.Add(Read("Melanie", "My kids are loud.", 9).Single(), [1f, 0f]));
        Assert.Equal([4, 9], store.Items.Single().Sources);

        Assert.Equal(0, store.RemoveDerivedOnlyFrom(new HashSet<int> { 4 }));
        Assert.Equal([9], store.Items.Single().Sources);
        Assert.Equal(1, store.RemoveDerivedOnlyFrom(new HashSet<int> { 9 }));
        Assert.Empty(store.Items);
    }

    [Fact]
    public void Distillation_is_deterministic_and_keeps_conversation_order()
    {
        var nodes = new[]
        {
            new MemoryNode(0, "Caroline: I moved to Boston last month.", "Caroline", Said, []),
            new MemoryNode(1, "Caroline: I went to a pride parade yesterday.", "Caroline", Said.AddMinutes(1), []),
            new MemoryNode(2, "Caroline: Actually I moved to Denver.", "Caroline", Said.AddMinutes(2), []),
        };
        float[][] rows = [[1f, 0f], [0.8f, 0.6f], [0f, 1f]];
        var options = HelaMemOptions.Default;

        var first = ExtractiveDistiller.Distill(nodes, i => rows[i], options, maxFacts: 10);
        var second = ExtractiveDistiller.Distill(nodes, i => rows[i], options, maxFacts: 10);

        Assert.Equal(first.Select(i => i.Text), second.Select(i => i.Text));
        Assert.Equal(
            ["Caroline lives in Boston", "Caroline went to a pride parade on 2023-05-24", "Caroline lives in Denver"],
            first.Select(i => i.Text));
        Assert.Equal(first[0].Slot, first[2].Slot);
    }
}
