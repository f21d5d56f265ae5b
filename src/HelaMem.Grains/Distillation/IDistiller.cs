using HelaMem.Abstractions.Contracts;
using HelaMem.Core;

namespace HelaMem.Grains.Distillation;

/// <summary>A member of a hub cluster as the distiller sees it.</summary>
/// <param name="NodeId">The node id.</param>
/// <param name="Content">The text.</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Embedding">Its unit embedding.</param>
public sealed record ClusterMember(long NodeId, string Content, string Speaker, DateTimeOffset Timestamp, IReadOnlyList<float> Embedding);

/// <summary>
/// What a distiller gets: a cluster of turns (a hub first, then its strongest neighbours; or a run of new turns in
/// conversation order) and the existing semantic memory.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="User">The user.</param>
/// <param name="Cluster">The hub and its strongly connected neighbours, hub first.</param>
/// <param name="ExistingItems">The semantic memory so far (an LLM distiller merges the profile with it).</param>
/// <param name="Options">The algorithm parameters (facts per cluster, agent speakers).</param>
/// <param name="MaxFacts">Most facts to distill (null: <see cref="HelaMemOptions.FactsPerCluster"/>, the hub budget).</param>
public sealed record DistillationRequest(string Tenant, string User, IReadOnlyList<ClusterMember> Cluster, IReadOnlyList<SemanticItemData> ExistingItems, HelaMemOptions Options, int? MaxFacts = null);

/// <summary>
/// Turns a hub cluster into semantic items (profile, facts, agent knowledge). The offline default is extractive;
/// the LLM distiller implements the same contract with a prompted extraction and profile merge. A distiller that cannot
/// distill now (provider down, unusable answer) throws <see cref="DistillationDeferredException"/>: the cluster stays
/// pending and nothing of it is stored.
/// </summary>
public interface IDistiller
{
    /// <summary>The items distilled from the cluster; each names its source node ids.</summary>
    Task<IReadOnlyList<SemanticItemData>> DistillAsync(DistillationRequest request, CancellationToken cancellationToken);
}
