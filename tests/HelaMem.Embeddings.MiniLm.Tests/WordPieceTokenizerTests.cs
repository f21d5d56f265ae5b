namespace HelaMem.Embeddings.MiniLm.Tests;

/// <summary>The tokenizer against the model's own vocabulary (bert-base-uncased's) and BERT's documented splits.</summary>
[Collection(MiniLmModelGroup.Name)]
public sealed class WordPieceTokenizerTests(MiniLmFixture fixture)
{
    private WordPieceTokenizer Tokenizer => fixture.Embedder.Tokenizer;

    [Fact]
    public void The_vocabulary_reads_with_its_CRLF_line_ends_and_the_usual_special_ids()
    {
        Assert.Equal(30522, Tokenizer.VocabularySize);
        Assert.Equal((0, 100, 101, 102), (Tokenizer.PadId, Tokenizer.UnknownId, Tokenizer.ClsId, Tokenizer.SepId));
        Assert.Equal("hello", Tokenizer.Token(7592));
        Assert.Equal([101, 7592, 2088, 102], Tokenizer.Encode("Hello world"));
    }

    [Theory]
    // Google's README shows "un ##aff ##able" with its example vocabulary; bert-base-uncased has "una", and the greedy
    // longest match takes it (Hugging Face's BertTokenizer gives the same).
    [InlineData("unaffable", "una ##ffa ##ble")]
    [InlineData("UNAFFABLE", "una ##ffa ##ble")]
    [InlineData("Hello, World!", "hello , world !")]
    [InlineData("it's 3.5km-long (roughly)", "it ' s 3 . 5 ##km - long ( roughly )")]
    [InlineData("Café naïve Ångström", "cafe naive ang ##strom")]
    [InlineData("  tabs\tand\r\nnewlines ", "tab ##s and new ##lines")]
    [InlineData("zero\u200Bwidth", "zero ##wi ##dt ##h")] // a format character is dropped, joining the word
    [InlineData("北京", "北 京")]
    public void Text_splits_into_BERTs_word_pieces(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', Tokenizer.Tokenize(text)));
    }

    [Fact]
    public void A_word_the_vocabulary_cannot_build_is_one_unknown_token()
    {
        Assert.Equal(["i", "like", "[UNK]", "a", "lot"], Tokenizer.Tokenize("I like \U0001F9A9 a lot"));
        Assert.Equal(["[UNK]"], Tokenizer.Tokenize(new string('x', 101)));
    }

    [Fact]
    public void Empty_text_is_just_the_frame()
    {
        Assert.Equal([101, 102], Tokenizer.Encode(""));
        Assert.Equal([101, 102], Tokenizer.Encode(" \t\u0000"));
    }

    [Fact]
    public void Long_text_is_cut_to_the_maximum_with_the_frame_kept()
    {
        var text = string.Join(' ', Enumerable.Repeat("unaffable memory", 200));
        var ids = Tokenizer.Encode(text);
        Assert.Equal(Tokenizer.MaxTokens, ids.Length);
        Assert.Equal(Tokenizer.ClsId, ids[0]);
        Assert.Equal(Tokenizer.SepId, ids[^1]);

        // The cut may fall inside a word, as BERT's truncation does: 254 pieces = 63 × (una ##ffa ##ble memory) + 2.
        Assert.Equal(["una", "##ffa"], new[] { Tokenizer.Token(ids[^3]), Tokenizer.Token(ids[^2]) });
    }

    [Fact]
    public void A_small_vocabulary_shows_the_greedy_longest_match()
    {
        var tokenizer = new WordPieceTokenizer("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nplay\r\nplaying\r\n##ing\r\n##s\r\n##er\r\nun\r\n##aff\r\n##able\r\n", maxTokens: 6);
        Assert.Equal(["un", "##aff", "##able"], tokenizer.Tokenize("unaffable"));
        Assert.Equal(["playing", "play", "##er", "##s", "[UNK]"], Enumerable.Empty<string>()
            .Concat(tokenizer.Tokenize("playing players"))
            .Concat(tokenizer.Tokenize("replay")));
        Assert.Equal(6, tokenizer.Encode("play play play play play").Length);
        Assert.Throws<InvalidDataException>(() => new WordPieceTokenizer("[PAD]\n[UNK]\n[SEP]\n", 8));
    }
}
