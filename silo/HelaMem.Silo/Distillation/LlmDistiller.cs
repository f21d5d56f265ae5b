using System.Text.Json;
using HelaMem.Abstractions.Contracts;
using HelaMem.Grains.Distillation;
using HelaMem.Grains.Llm;
using HelaMem.Llm;
using Microsoft.Extensions.AI;

namespace HelaMem.Silo.Distillation;

/// <summary>
/// Distillation with the configured chat model (used when <c>HelaMem:Llm:Provider</c> is not none): the paper's
/// extraction prompt, the existing profile given so the model returns updates under the same slot (they replace the
/// old item in the semantic memory), the answer read defensively. Tokens are charged to the graph's tenant. A provider
/// failure or an unusable answer throws <see cref="DistillationDeferredException"/>: nothing is stored and the cluster is
/// distilled again on the next run. A cluster the provider's content filter refuses is skipped (logged): it would be
/// refused again. The chat client is the tenant's (its provider override's, else the silo's: <see cref="ITenantLlmClients"/>).
/// </summary>
internal sealed partial class LlmDistiller(ITenantLlmClients clients, ILogger<LlmDistiller> logger) : IDistiller
{
    private static readonly ChatOptions Options = new() { Temperature = 0, ResponseFormat = ChatResponseFormat.Json };

    /// <inheritdoc />
    public async Task<IReadOnlyList<SemanticItemData>> DistillAsync(DistillationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cluster.Count == 0)
        {
            return [];
        }

        ChatResponse response;
        try
        {
            var chat = await clients.ChatClientAsync(request.Tenant, cancellationToken);
            using (LlmTenant.Enter(request.Tenant))
            {
                response = await chat.GetResponseAsync(
                    [new ChatMessage(ChatRole.System, LlmExtractionPrompt.Instructions), new ChatMessage(ChatRole.User, LlmExtractionPrompt.Request(request))],
                    Options,
                    cancellationToken);
            }
        }
        catch (LlmContentFilteredException filtered)
        {
            LogFiltered(logger, request.Tenant, request.User, request.Cluster[0].NodeId, filtered);
            return [];
        }
        catch (LlmException failure)
        {
            throw new DistillationDeferredException($"The chat model could not distill now ({failure.GetType().Name}).", failure);
        }
        catch (InvalidOperationException misconfigured)
        {
            // The tenant's stored override is no longer allowed by the silo's settings: an operator must fix it; the
            // turns wait rather than go to another endpoint.
            throw new DistillationDeferredException($"The tenant's LLM override cannot be used: {misconfigured.Message}", misconfigured);
        }

        var clusterIds = request.Cluster.Select(m => m.NodeId).ToHashSet();
        if (!LlmAnswer.TryParse(response.Text, clusterIds, out var items, out var problem))
        {
            LogMalformed(logger, request.Tenant, request.User, problem);
            throw new DistillationDeferredException($"The chat model's answer was not usable: {problem}.");
        }

        return items;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Distillation for {Tenant}/{User}: the chat model's answer was not usable ({Problem}); the turns stay pending and are distilled again on the next run.")]
    private static partial void LogMalformed(ILogger logger, string tenant, string user, string problem);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "Distillation for {Tenant}/{User}: the provider's content filter refused the turns from {First}; they are skipped.")]
    private static partial void LogFiltered(ILogger logger, string tenant, string user, long first, Exception exception);
}
