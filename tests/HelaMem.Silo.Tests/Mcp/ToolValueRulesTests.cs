using HelaMem.Abstractions.Contracts;
using HelaMem.Client.Mcp;
using ClientFilter = HelaMem.Client.Contracts.MemoryFilter;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>The client's copies of the API's value rules say what the silo's own rules say, word for word.</summary>
public sealed class ToolValueRulesTests
{
    [Theory]
    [InlineData("retry-1")]
    [InlineData("!~")]
    [InlineData("")]
    [InlineData("retry 1")]
    [InlineData("tab\there")]
    [InlineData("clé")]
    [InlineData("k")]
    public void An_idempotency_key_is_judged_as_the_api_judges_it(string key) =>
        Assert.Equal(IdempotencyLimits.Problem(key), ToolValueRules.IdempotencyKeyProblem(key));

    [Fact]
    public void The_longest_key_is_the_apis()
    {
        Assert.Equal(IdempotencyLimits.MaxKeyLength, ToolValueRules.MaxIdempotencyKeyLength);
        Assert.Null(ToolValueRules.IdempotencyKeyProblem(new string('k', 255)));
        Assert.Equal(IdempotencyLimits.Problem(new string('k', 256)), ToolValueRules.IdempotencyKeyProblem(new string('k', 256)));
    }

    [Fact]
    public void A_refused_key_names_the_argument()
    {
        var refused = Assert.Throws<ArgumentException>(() => ToolValueRules.RequireIdempotencyKey("a b", "idempotencyKey"));
        Assert.Equal($"argument 'idempotencyKey' {IdempotencyLimits.Problem("a b")}.", refused.Message);
        ToolValueRules.RequireIdempotencyKey(null, "idempotencyKey");
        ToolValueRules.RequireIdempotencyKey("ok", "idempotencyKey");
    }

    public static TheoryData<ClientFilter> ListingFilters => new()
    {
        new ClientFilter(Speakers: ["Alice", ""]),
        new ClientFilter(Roles: [null!]),
        new ClientFilter(ConversationIds: [""]),
        new ClientFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { [""] = ["x"] }),
        new ClientFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { [" "] = ["x"] }),
        new ClientFilter(Metadata: new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["travel", null!] }),
    };

    [Theory]
    [MemberData(nameof(ListingFilters))]
    public void What_a_query_string_cannot_carry_is_refused_in_the_apis_words(ClientFilter filter)
    {
        var expected = MemoryFilterRules.Problem(new MemoryFilter(filter.Metadata, filter.ConversationIds, filter.Speakers, filter.Roles, filter.From, filter.Until));
        Assert.NotNull(expected);
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => ToolValueRules.RequireListingFilter(filter)).Message);
    }

    [Fact]
    public void A_filter_a_query_string_carries_is_left_to_the_api()
    {
        // Empty metadata values are allowed; a backwards time range is the API's to refuse (in the same words either way).
        ToolValueRules.RequireListingFilter(null);
        ToolValueRules.RequireListingFilter(new ClientFilter(
            Metadata: new Dictionary<string, IReadOnlyList<string>> { ["topic"] = [""] }, Speakers: ["Alice"],
            From: DateTimeOffset.UnixEpoch.AddDays(1), Until: DateTimeOffset.UnixEpoch));
    }
}
