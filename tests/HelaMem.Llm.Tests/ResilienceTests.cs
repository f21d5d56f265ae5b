using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm.Tests;

/// <summary>Retries, time-outs and the malformed-answer path, through the real SDK against the fake provider.</summary>
public sealed class ResilienceTests
{
    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task A_429_is_retried_after_the_servers_Retry_After(string provider)
    {
        await using var bed = await LlmTestbed.StartAsync(provider);
        bed.Server.Script(FakeReply.TooManyRequests);

        var response = await bed.Chat.GetResponseAsync("hello");

        Assert.Equal("echo: hello", response.Text);
        var requests = bed.Server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));

        // Retry-After: 1 (seconds); without it the first backoff would be 0.5 to 0.6 s. Loose upper bound for a busy machine.
        var waited = requests[1].ReceivedAt - requests[0].ReceivedAt;
        Assert.InRange(waited.TotalSeconds, 0.95, 10);
    }

    [Fact]
    public async Task A_500_is_retried_with_backoff_then_succeeds()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.OpenAI);
        bed.Server.Script(FakeReply.ServerError, FakeReply.ServerError);

        var embeddings = await bed.Embeddings.GenerateAsync(["Rex loves the beach"]);

        Assert.Single(embeddings);
        var requests = bed.Server.Requests;
        Assert.Equal([500, 500, 200], requests.Select(r => r.Status));

        // Exponential: about 0.5 s, then about 1 s (each with up to 20% jitter).
        Assert.InRange((requests[1].ReceivedAt - requests[0].ReceivedAt).TotalSeconds, 0.45, 5);
        Assert.InRange((requests[2].ReceivedAt - requests[1].ReceivedAt).TotalSeconds, 0.95, 5);
        Assert.Contains(bed.Logs.Lines, line => line.Contains("attempt 1 failed (HTTP 500)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Spent_retries_give_an_unavailable_exception_naming_the_status_and_attempts()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => options.MaxRetries = 1);
        bed.Server.Script(FakeReply.ServerError, FakeReply.ServerError, FakeReply.Ok);

        var failure = await Assert.ThrowsAsync<LlmUnavailableException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Equal("The LLM provider (azure-openai) failed chat on chat-deployment: HTTP 500 after 2 attempt(s).", failure.Message);
        Assert.Equal(2, bed.Server.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_hangs_times_out_and_is_retried()
    {
        // 2 s: room for the second attempt's new TLS connection on a busy machine.
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.OpenAI, options => (options.TimeoutSeconds, options.MaxRetries) = (2, 1));
        bed.Server.Script(FakeReply.Hang);

        var response = await bed.Chat.GetResponseAsync("hello");

        Assert.Equal("echo: hello", response.Text);
        Assert.Equal([FakeReply.Hang, FakeReply.Ok], bed.Server.Requests.Select(r => r.Reply));
    }

    [Fact]
    public async Task A_provider_that_never_answers_gives_a_timeout_exception_naming_the_setting()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => (options.TimeoutSeconds, options.MaxRetries) = (0.5, 0));
        bed.Server.Script(FakeReply.Hang);

        var started = DateTimeOffset.UtcNow;
        var failure = await Assert.ThrowsAsync<LlmTimeoutException>(() => bed.Embeddings.GenerateAsync(["hello"]));

        Assert.Contains("within 0.5 s (HelaMem:Llm:TimeoutSeconds)", failure.Message, StringComparison.Ordinal);
        Assert.InRange((DateTimeOffset.UtcNow - started).TotalSeconds, 0.4, 5);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.OpenAI);
        bed.Server.Script(FakeReply.Hang);
        using var cancel = new CancellationTokenSource();

        var call = bed.Chat.GetResponseAsync("hello", cancellationToken: cancel.Token);
        while (bed.Server.Requests.Count == 0)
        {
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.IsNotType<LlmTimeoutException>(cancelled);
        Assert.Single(bed.Server.Requests);
    }

    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task Malformed_JSON_gives_a_protocol_exception_and_is_not_retried(string provider)
    {
        await using var bed = await LlmTestbed.StartAsync(provider);
        bed.Server.Script(FakeReply.MalformedJson);

        var failure = await Assert.ThrowsAsync<LlmProtocolException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Contains("not valid OpenAI protocol JSON", failure.Message, StringComparison.Ordinal);
        Assert.Single(bed.Server.Requests);
    }
}
