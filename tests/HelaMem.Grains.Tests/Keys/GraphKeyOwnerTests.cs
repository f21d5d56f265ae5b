using HelaMem.Abstractions.Keys;

namespace HelaMem.Grains.Tests.Keys;

/// <summary>Graph keys of users, agents and runs: validated, parseable, and never the same key for two owners.</summary>
public sealed class GraphKeyOwnerTests
{
    [Theory]
    [InlineData(OwnerScope.User, "alice", "acme/alice")]
    [InlineData(OwnerScope.Agent, "alice", "acme/agent~alice")]
    [InlineData(OwnerScope.Run, "alice", "acme/run~alice")]
    [InlineData(OwnerScope.Agent, "travel-bot.v2@x", "acme/agent~travel-bot.v2@x")]
    public void Each_owner_has_its_own_key_that_parses_back_to_it(OwnerScope scope, string id, string expected)
    {
        var key = new GraphKey("acme", new MemoryOwner(scope, id));

        Assert.Equal(expected, key.ToString());
        var parsed = GraphKey.Parse(expected);
        Assert.Equal(key, parsed);
        Assert.Equal((scope, id), (parsed.Owner.Scope, parsed.Owner.Id));
        Assert.Equal(expected["acme/".Length..], parsed.User);
        Assert.Equal(key, NodeKey.Parse($"{expected}/7").Graph);
    }

    [Fact]
    public void A_user_key_is_what_it_was_before_owners_existed()
    {
        // Keys written by earlier versions ("tenant/user") still name that user's graph.
        var key = GraphKey.Parse("fixture/alice");
        Assert.Equal(MemoryOwner.User("alice"), key.Owner);
        Assert.Equal("alice", key.User);
        Assert.Equal(new GraphKey("fixture", "alice"), key);
        Assert.Equal(new GraphKey("fixture", MemoryOwner.User("alice")), key);
    }

    [Fact]
    public void A_user_an_agent_and_a_run_with_one_id_are_three_keys()
    {
        string[] keys = [.. new[] { MemoryOwner.User("x"), MemoryOwner.Agent("x"), MemoryOwner.Run("x") }.Select(o => new GraphKey("t", o).ToString())];
        Assert.Equal(3, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("agent~")]
    [InlineData("run~a/b")]
    [InlineData("agent~a~b")]
    [InlineData("bot~alice")]
    [InlineData("~alice")]
    [InlineData("Agent~alice")]
    [InlineData("agent~..")]
    [InlineData("a b")]
    [InlineData("")]
    public void A_malformed_owner_segment_is_refused(string segment)
    {
        Assert.Throws<ArgumentException>(() => MemoryOwner.Parse(segment));
        Assert.Throws<ArgumentException>(() => new GraphKey("acme", segment));
        Assert.Throws<ArgumentException>(() => GraphKey.Parse("acme/" + segment));
    }

    [Theory]
    [InlineData(OwnerScope.Agent, "a~b", "agent id 'a~b' contains '~'")]
    [InlineData(OwnerScope.Run, "", "run id must not be empty")]
    [InlineData(OwnerScope.User, "..", "user id must not be '.' or '..'")]
    public void An_invalid_owner_id_is_refused_naming_its_scope(OwnerScope scope, string id, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new MemoryOwner(scope, id));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_limited_as_before_and_the_default_owner_makes_no_key()
    {
        Assert.Equal(KeySegment.MaxLength, MemoryOwner.Agent(new string('a', KeySegment.MaxLength)).Id.Length);
        Assert.Throws<ArgumentException>(() => MemoryOwner.Run(new string('a', KeySegment.MaxLength + 1)));
        Assert.Throws<ArgumentException>(() => new GraphKey("acme", default(MemoryOwner)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryOwner((OwnerScope)7, "x"));
        Assert.Throws<ArgumentException>(() => new GraphKey("ac~me", MemoryOwner.Agent("x")));
    }

    [Fact]
    public void Owners_describe_themselves_in_the_apis_words()
    {
        Assert.Equal("agent 'bot'", MemoryOwner.Agent("bot").Describe());
        Assert.Equal(("run", "run~r1"), (MemoryOwner.Run("r1").ScopeText, MemoryOwner.Run("r1").ToString()));
    }
}
