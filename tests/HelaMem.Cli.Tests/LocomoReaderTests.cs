using HelaMem.Cli.Locomo;

namespace HelaMem.Cli.Tests;

public sealed class LocomoReaderTests : IDisposable
{
    private readonly FixtureData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Reads_turns_in_session_order_with_session_dates_and_captions()
    {
        var conversation = LocomoReader.Read(LocomoReader.PathOf(_data.Directory, "1"));

        Assert.Equal("1", conversation.Id);
        Assert.Equal(12, conversation.Turns.Count);
        Assert.Equal("D1:1", conversation.Turns[0].DiaId);
        Assert.Equal("D2:6", conversation.Turns[^1].DiaId);
        Assert.Equal(new DateTimeOffset(2023, 5, 8, 13, 56, 0, TimeSpan.Zero), conversation.Turns[0].Time);
        Assert.Equal(new DateTimeOffset(2023, 6, 27, 10, 37, 0, TimeSpan.Zero), conversation.End);
        Assert.Equal("Alice: I started learning the saxophone last week. [shares a photo of a golden saxophone on a stand]", conversation.Turns[2].NodeText);
        Assert.Equal("Bob: Great! I just adopted a puppy named Biscuit.", conversation.Turns[1].NodeText);
    }

    [Fact]
    public void Reads_questions_in_file_order_and_splits_packed_evidence()
    {
        var conversation = LocomoReader.Read(LocomoReader.PathOf(_data.Directory, "1"));

        Assert.Equal(FixtureData.QuestionsInOne, conversation.Questions.Count);
        Assert.Equal(1, conversation.Questions[0].Category);
        Assert.Equal(["D1:5", "D1:6"], conversation.Questions[2].Evidence);
        Assert.Empty(conversation.Questions[6].Evidence);
    }

    [Fact]
    public void Reads_gold_answers_as_text_and_none_for_adversarial_questions()
    {
        var conversation = LocomoReader.Read(LocomoReader.PathOf(_data.Directory, "1"));

        Assert.Equal("Chicago, violin", conversation.Questions[0].Answer);
        Assert.Equal("Yes; he loves jellyfish exhibits", conversation.Questions[2].Answer);

        // Category 5 names only the tempting wrong answer; its right answer is that the conversation does not say.
        Assert.Equal(5, conversation.Questions[7].Category);
        Assert.Null(conversation.Questions[7].Answer);

        // Some years and counts are JSON numbers in the released files.
        var numeric = System.Text.Json.JsonDocument.Parse(
            "{\"session_1_date_time\":\"1:56 pm on 8 May, 2023\",\"session_1\":[{\"speaker\":\"A\",\"dia_id\":\"D1:1\",\"text\":\"hi\"}],"
            + "\"qa\":[{\"question\":\"Which year?\",\"answer\":2022,\"evidence\":[\"D1:1\"],\"category\":2}]}");
        Assert.Equal("2022", LocomoReader.Read("x", numeric.RootElement).Questions[0].Answer);
    }

    [Fact]
    public void Lists_ids_numerically()
    {
        File.WriteAllText(Path.Combine(_data.Directory, "conv-10.json"), "{}");

        Assert.Equal(["1", "2", "10"], LocomoReader.ListIds(_data.Directory));
    }

    [Theory]
    [InlineData("1:56 pm on 8 May, 2023", 2023, 5, 8, 13, 56)]
    [InlineData("10:37 am on 27 June, 2023", 2023, 6, 27, 10, 37)]
    [InlineData("12:09 am on 13 September, 2023", 2023, 9, 13, 0, 9)]
    public void Parses_session_dates(string text, int year, int month, int day, int hour, int minute)
    {
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero), LocomoReader.ParseSessionDate(text));
    }

    [Fact]
    public void Rejects_an_unreadable_date()
    {
        var error = Assert.Throws<LocomoFormatException>(() => LocomoReader.ParseSessionDate("yesterday"));
        Assert.Contains("yesterday", error.Message, StringComparison.Ordinal);
    }
}
