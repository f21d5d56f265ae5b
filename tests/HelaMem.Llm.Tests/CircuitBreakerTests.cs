using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm.Tests;

/// <summary>After N consecutive failures the provider is refused at once for B seconds, then tried again.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task The_breaker_opens_after_N_failures_refuses_without_calling_then_closes_after_B_seconds()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.OpenAI,
            options => (options.MaxRetries, options.BreakAfterFailures, options.BreakSeconds) = (0, 3, 1));
        bed.Server.Script(FakeReply.ServerError, FakeReply.ServerError, FakeReply.ServerError);

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Chat.GetResponseAsync("hello"));
        }

        // Open: refused fast, for chat and embeddings alike (one provider, one breaker), and nothing reaches the server.
        var refused = await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Chat.GetResponseAsync("hello"));
        await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Embeddings.GenerateAsync(["hello"]));
        Assert.Contains("circuit breaker is open after 3 consecutive failures", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, bed.Server.Requests.Count);
        Assert.Contains(bed.Logs.Lines, line => line.Contains("3 consecutive failures, refusing calls for 1 s", StringComparison.Ordinal));

        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var response = await bed.Chat.GetResponseAsync("hello again");
        Assert.Equal("echo: hello again", response.Text);
        Assert.Equal(4, bed.Server.Requests.Count);
    }

    [Fact]
    public async Task A_success_resets_the_count_of_consecutive_failures()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.OpenAI,
            options => (options.MaxRetries, options.BreakAfterFailures, options.BreakSeconds) = (0, 2, 60));
        bed.Server.Script(FakeReply.ServerError, FakeReply.Ok, FakeReply.ServerError, FakeReply.Ok);

        await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Chat.GetResponseAsync("a"));
        await bed.Chat.GetResponseAsync("b");
        await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Chat.GetResponseAsync("c"));

        Assert.Equal("echo: d", (await bed.Chat.GetResponseAsync("d")).Text);
    }

    [Fact]
    public async Task Retries_count_towards_the_breaker_and_stop_when_it_opens()
    {
        // Five retries allowed, but the breaker opens at the second failure: the third attempt is refused, not sent.
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI,
            options => (options.MaxRetries, options.BreakAfterFailures, options.BreakSeconds) = (5, 2, 60));
        bed.Server.Script(FakeReply.ServerError, FakeReply.ServerError, FakeReply.ServerError);

        var refused = await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Contains("circuit breaker is open", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, bed.Server.Requests.Count);
    }

    [Fact]
    public async Task A_content_filter_or_bad_key_does_not_count_as_the_provider_being_down()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI,
            options => (options.MaxRetries, options.BreakAfterFailures, options.BreakSeconds) = (0, 1, 60));
        bed.Server.Script(FakeReply.ContentFilterRefusal, FakeReply.MalformedJson);

        await Assert.ThrowsAsync<LlmContentFilteredException>(() => bed.Chat.GetResponseAsync("a"));
        await Assert.ThrowsAsync<LlmProtocolException>(() => bed.Chat.GetResponseAsync("b"));

        Assert.Equal("echo: c", (await bed.Chat.GetResponseAsync("c")).Text);
    }
}
