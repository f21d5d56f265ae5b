using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm;

/// <summary>
/// The provider's chat client behind the retry, time-out and breaker policy of <see cref="ResilientCaller"/>; an answer
/// the content filter cut (finish reason content_filter) becomes an <see cref="LlmContentFilteredException"/>, so both
/// of Azure's refusals reach the caller the same way.
/// </summary>
internal sealed class ResilientChatClient(IChatClient inner, ResilientCaller caller, string model) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // The messages are enumerated once per attempt: materialize them so that a retry sends the same prompt.
        var prompt = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var response = await caller.CallAsync("chat", model, token => base.GetResponseAsync(prompt, options, token), cancellationToken).ConfigureAwait(false);
        return response.FinishReason == ChatFinishReason.ContentFilter
            ? throw new LlmContentFilteredException($"The LLM provider's content filter cut the chat answer on {model}.")
            : response;
    }

    /// <summary>
    /// Streaming goes through the breaker and the time-out of the first update only: a stream that has started cannot
    /// be replayed, so it is not retried.
    /// </summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var firstUpdate = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstUpdate.CancelAfter(caller.AttemptTimeout);
        var stream = base.GetStreamingResponseAsync(messages, options, firstUpdate.Token).GetAsyncEnumerator(firstUpdate.Token);
        await using (stream.ConfigureAwait(false))
        {
            var hasFirst = await caller.CallAsync("chat", model, _ => stream.MoveNextAsync().AsTask(), cancellationToken, retry: false).ConfigureAwait(false);
            firstUpdate.CancelAfter(Timeout.InfiniteTimeSpan);
            for (var more = hasFirst; more; more = await stream.MoveNextAsync().ConfigureAwait(false))
            {
                if (stream.Current.FinishReason == ChatFinishReason.ContentFilter)
                {
                    throw new LlmContentFilteredException($"The LLM provider's content filter cut the chat answer on {model}.");
                }

                yield return stream.Current;
            }
        }
    }
}
