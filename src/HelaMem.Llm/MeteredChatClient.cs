using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace HelaMem.Llm;

/// <summary>
/// Checks the current tenant's (<see cref="LlmTenant"/>) token quota before a chat call and, after it, reports the
/// tokens the provider counted to the usage sink and charges them to the quota.
/// </summary>
internal sealed class MeteredChatClient(IChatClient inner, TokenMeter meter, string model) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tenant = meter.EnsureBudget();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        meter.Record(tenant, "chat", response.ModelId ?? model, response.Usage);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tenant = meter.EnsureBudget();
        UsageDetails? usage = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents.OfType<UsageContent>())
            {
                usage = content.Details;
            }

            yield return update;
        }

        meter.Record(tenant, "chat", model, usage);
    }
}
