using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm.Tests;

/// <summary>The API key never appears in an exception (message, inner exceptions, stack) nor in a log line.</summary>
public sealed class SecretTests
{
    [Theory]
    [InlineData(LlmOptions.OpenAI)]
    [InlineData(LlmOptions.AzureOpenAI)]
    public async Task A_wrong_key_is_a_401_rejection_that_does_not_show_either_key(string provider)
    {
        const string wrongKey = "sk-wrong-key-9876543210XYZ";
        await using var bed = await LlmTestbed.StartAsync(provider, options => options.ApiKey = wrongKey);

        var refused = await Assert.ThrowsAsync<LlmRequestRejectedException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Equal(401, refused.Status);
        Assert.Contains("check HelaMem:Llm's endpoint, key and model names", refused.Message, StringComparison.Ordinal);
        AssertNowhere(wrongKey, refused, bed);
        AssertNowhere(LlmTestbed.Key, refused, bed);
    }

    [Theory]
    [InlineData(FakeReply.ServerError)]
    [InlineData(FakeReply.TooManyRequests)]
    [InlineData(FakeReply.Hang)]
    [InlineData(FakeReply.MalformedJson)]
    [InlineData(FakeReply.ContentFilterRefusal)]
    public async Task No_failure_mode_shows_the_key(FakeReply reply)
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => (options.MaxRetries, options.TimeoutSeconds) = (0, 0.5));
        bed.Server.Script(reply);

        var failure = await Assert.ThrowsAnyAsync<LlmException>(() => bed.Chat.GetResponseAsync("hello"));

        AssertNowhere(LlmTestbed.Key, failure, bed);
        Assert.NotEmpty(bed.Logs.Lines);
    }

    [Fact]
    public void Settings_errors_name_the_setting_and_never_echo_the_key()
    {
        var options = new LlmOptions { Provider = LlmOptions.OpenAI, ApiKey = "sk-has a space-SECRET", ChatModel = "m", EmbeddingModel = "e" };

        var error = Assert.Single(options.Validate());

        Assert.Equal("HelaMem:Llm:ApiKey must not be empty nor contain whitespace.", error);
        var thrown = Assert.Throws<ArgumentException>(() => new LlmClientFactory(options, new RecordingUsageSink(), UnlimitedTokenQuota.Instance, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.DoesNotContain("SECRET", thrown.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNowhere(string key, Exception failure, LlmTestbed bed)
    {
        Assert.DoesNotContain(key, failure.ToString(), StringComparison.Ordinal);
        for (var inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            Assert.DoesNotContain(key, inner.Message, StringComparison.Ordinal);
        }

        Assert.All(bed.Logs.Lines, line => Assert.DoesNotContain(key, line, StringComparison.Ordinal));
    }
}
