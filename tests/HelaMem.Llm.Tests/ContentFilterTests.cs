using HelaMem.Llm.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm.Tests;

/// <summary>Azure's two content-filter refusals reach the caller as one distinct exception, and are never retried.</summary>
public sealed class ContentFilterTests
{
    [Fact]
    public async Task A_refused_prompt_HTTP_400_content_filter_is_a_content_filtered_exception()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI);
        bed.Server.Script(FakeReply.ContentFilterRefusal);

        var refused = await Assert.ThrowsAsync<LlmContentFilteredException>(() => bed.Chat.GetResponseAsync("something the filter refuses"));

        Assert.Equal("The LLM provider's content filter refused the chat request on chat-deployment.", refused.Message);
        Assert.Single(bed.Server.Requests);
        Assert.Empty(bed.Usage.Usages);
    }

    [Fact]
    public async Task A_cut_answer_finish_reason_content_filter_is_a_content_filtered_exception()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI);
        bed.Server.Script(FakeReply.ContentFilterFinish);

        var refused = await Assert.ThrowsAsync<LlmContentFilteredException>(() => bed.Chat.GetResponseAsync("something whose answer is filtered"));

        Assert.Equal("The LLM provider's content filter cut the chat answer on chat-deployment.", refused.Message);
        Assert.Single(bed.Server.Requests);
    }

    [Fact]
    public async Task A_cut_streamed_answer_is_a_content_filtered_exception_too()
    {
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI);
        bed.Server.Script(FakeReply.ContentFilterFinish);

        await Assert.ThrowsAsync<LlmContentFilteredException>(async () =>
        {
            await foreach (var _ in bed.Chat.GetStreamingResponseAsync("something whose answer is filtered"))
            {
            }
        });
    }

    [Fact]
    public async Task Another_400_is_a_rejected_request_and_not_a_content_filter()
    {
        // A wrong api-version is a 400 with another code: it must not be mistaken for a refusal of the content.
        await using var bed = await LlmTestbed.StartAsync(LlmOptions.AzureOpenAI, options => options.ApiVersion = "2024-06-01");

        var refused = await Assert.ThrowsAsync<LlmRequestRejectedException>(() => bed.Chat.GetResponseAsync("hello"));

        Assert.Equal(400, refused.Status);
    }
}
