using HelaMem.Core.Context;
using HelaMem.Core.Memory;
using HelaMem.Core.Semantic;
using HelaMem.Core.Text;

namespace HelaMem.Core.Tests;

public class TextAndContextTests
{
    [Fact]
    public void Keywords_are_distinct_content_tokens_longer_than_two_characters()
    {
        var keywords = KeywordExtractor.Extract("Hey Mel! I went to the LGBTQ support group, the support was great. Go to NY?");

        Assert.Equal(["mel", "went", "lgbtq", "support", "group", "great"], keywords);
    }

    [Fact]
    public void Content_tokens_keep_duplicates_and_drop_stopwords()
    {
        Assert.Equal(["dog", "dog", "ran"], KeywordExtractor.ContentTokens("The dog, the dog ran."));
    }

    [Fact]
    public void Token_count_is_whitespace_separated_words()
    {
        Assert.Equal(0, TokenCounter.Count("   "));
        Assert.Equal(4, TokenCounter.Count(" one two\nthree\t four "));
    }

    [Fact]
    public void Context_lists_profile_knowledge_and_memories_in_time_order()
    {
        var later = new MemoryNode(1, "Bob: second", "Bob", new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero), []);
        var earlier = new MemoryNode(0, "Alice: first", "Alice", new DateTimeOffset(2023, 5, 1, 0, 0, 0, TimeSpan.Zero), []);

        var context = ContextAssembler.Assemble(
            [new SemanticItem(SemanticKind.Profile, "Alice: I love tea.", [0])],
            [],
            [later, earlier]);

        Assert.Equal("## Profile\nAlice: I love tea.\n## Memories\n[2023-05-01] Alice: first\n[2023-06-01] Bob: second\n", context.Text);
        Assert.Equal(TokenCounter.Count(context.Text), context.Tokens);
    }
}
