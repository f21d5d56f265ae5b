using HelaMem.Core.Memory;
using HelaMem.Core.Consolidation;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Tests;

/// <summary>One slot format for every distiller, and slots stored by earlier versions read in it.</summary>
public sealed class SemanticSlotsTests
{
    [Theory]
    [InlineData("Caroline", "lives in", "caroline|lives in")]
    [InlineData(" Caroline  Smith ", "Lives-In", "caroline smith|lives in")]
    [InlineData("Melanie", "preference: Painting", "melanie|preference: painting")]
    [InlineData("Melanie", "preference:painting", "melanie|preference: painting")]
    [InlineData("Melanie", "Preference | painting", "melanie|preference: painting")]
    [InlineData("Melanie", "relationship_status", "melanie|relationship status")]
    [InlineData("Mel|anie", "age", "mel anie|age")]
    public void A_slot_is_lower_case_with_single_spaces_and_kind_colon_object(string subject, string attribute, string expected)
    {
        Assert.Equal(expected, SemanticSlots.Of(subject, attribute));
    }

    [Theory]
    [InlineData("Melanie|preference|painting", "melanie|preference: painting")]
    [InlineData("Caroline|lives-in", "caroline|lives in")]
    [InlineData("caroline|relationship status", "caroline|relationship status")]
    [InlineData("Melanie|has|kid", "melanie|has: kid")]
    [InlineData("no-subject", "no-subject")]
    public void Slots_of_earlier_versions_read_in_the_current_format(string stored, string expected)
    {
        Assert.Equal(expected, SemanticSlots.Canonical(stored));
    }

    [Fact]
    public void Split_gives_the_subject_and_attribute_or_nulls()
    {
        Assert.Equal(("melanie", "preference: painting"), SemanticSlots.Split("Melanie|preference|painting"));
        Assert.Equal((null, null), SemanticSlots.Split(null));
        Assert.Equal((null, null), SemanticSlots.Split("age"));
        Assert.Null(SemanticSlots.Canonical("  "));
    }

    [Fact]
    public void An_offline_item_is_replaced_by_another_distillers_item_on_the_same_attribute()
    {
        var said = new DateTimeOffset(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);
        var offline = StatementExtractor.Extract(new MemoryNode(0, "Caroline: I live in Boston.", "Caroline", said, []), []);
        var livesIn = Assert.Single(offline, i => i.Kind == SemanticKind.Profile);
        var store = new SemanticStore(2);
        Assert.True(store.Add(livesIn, [1f, 0f]));

        // What an LLM distiller returns for the same attribute, named by the shared vocabulary.
        var update = new SemanticItem(SemanticKind.Profile, "Caroline moved to Denver", [1], "Caroline", SemanticSlots.Of("Caroline", "Lives in"));
        Assert.True(store.Add(update, [0f, 1f]));

        Assert.Equal(["Caroline moved to Denver"], store.Profile.Select(i => i.Text));
    }

    [Fact]
    public void An_item_stored_with_a_slot_of_an_earlier_version_is_replaced_by_a_new_one()
    {
        var store = new SemanticStore(2);
        store.Add(new SemanticItem(SemanticKind.Profile, "Melanie is into pottery", [0], "Melanie", "Melanie|preference|pottery"), [1f, 0f]);

        store.Add(new SemanticItem(SemanticKind.Profile, "Melanie dislikes pottery", [1], "Melanie", SemanticSlots.Of("Melanie", "preference: pottery")), [1f, 0f]);

        Assert.Equal(["Melanie dislikes pottery"], store.Profile.Select(i => i.Text));
        Assert.Equal("melanie|preference: pottery", Assert.Single(store.Profile).Slot);
    }

    [Fact]
    public void An_item_loaded_with_a_slot_of_an_earlier_version_is_kept_in_the_current_format()
    {
        var store = new SemanticStore(2);
        store.Add(new SemanticItem(SemanticKind.Profile, "Caroline lives in Boston", [0], "Caroline", "Caroline|lives-in"), [1f, 0f]);

        Assert.Equal("caroline|lives in", Assert.Single(store.Profile).Slot);
    }

    [Fact]
    public void Different_subjects_keep_their_own_items_on_the_same_attribute()
    {
        var store = new SemanticStore(2);
        store.Add(new SemanticItem(SemanticKind.Profile, "Caroline is 30 years old", [0], "Caroline", SemanticSlots.Of("Caroline", "age")), [1f, 0f]);
        store.Add(new SemanticItem(SemanticKind.Profile, "Melanie is 35 years old", [1], "Melanie", SemanticSlots.Of("Melanie", "age")), [1f, 0f]);

        Assert.Equal(2, store.Profile.Count());
    }
}
