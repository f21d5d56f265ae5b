using HelaMem.Abstractions.Contracts;
using HelaMem.Core.Consolidation;
using HelaMem.Core.Memory;
using HelaMem.Core.Semantic;

namespace HelaMem.Grains.Distillation;

/// <summary>The offline default: the core's deterministic extractive distiller (profile items per speaker, dated facts, agent knowledge).</summary>
public sealed class ExtractiveGrainDistiller : IDistiller
{
    /// <inheritdoc />
    public Task<IReadOnlyList<SemanticItemData>> DistillAsync(DistillationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var byIndex = request.Cluster.ToDictionary(m => checked((int)m.NodeId));
        var nodes = request.Cluster.Select(m => new MemoryNode(checked((int)m.NodeId), m.Content, m.Speaker, m.Timestamp, [])).ToList();
        var items = ExtractiveDistiller.Distill(nodes, index => byIndex[index].Embedding.ToArray(), request.Options, request.MaxFacts);
        IReadOnlyList<SemanticItemData> result = [.. items.Select(ToData)];
        return Task.FromResult(result);
    }

    private static SemanticItemData ToData(SemanticItem item) =>
        new(item.Kind switch
        {
            SemanticKind.Profile => SemanticItemKind.Profile,
            SemanticKind.Fact => SemanticItemKind.Fact,
            _ => SemanticItemKind.AgentKnowledge,
        }, item.Text, [.. item.Sources.Select(s => (long)s)], item.Subject, item.Slot);
}
