namespace HelaMem.Core;

/// <summary>
/// Every parameter of the HeLa-Mem algorithm in one place. The defaults are the released ones (HeLa-Mem,
/// arXiv 2604.16839, and its reference code) unless a property says otherwise; options that switch on
/// HelaMem's own improvements default to off so that the default configuration is the published algorithm.
/// Instances are immutable; derive variants with <c>with</c>.
/// </summary>
public sealed record HelaMemOptions
{
    /// <summary>The released configuration.</summary>
    public static HelaMemOptions Default { get; } = new();

    /// <summary>α: weight of the keyword score in the base pathway. Released: 0.7.</summary>
    public float KeywordWeight { get; init; } = 0.7f;

    /// <summary>
    /// σ: added to the base score of a memory whose speaker the query names (the speaker cue). Released: 0 (no cue).
    /// </summary>
    public float SpeakerWeight { get; init; }

    /// <summary>
    /// How the keyword score weighs shared keywords. Released: <see cref="KeywordWeighting.Uniform"/>
    /// (|K_q ∩ K_i| / |K_q|). <see cref="KeywordWeighting.Idf"/> weighs each keyword by its rarity in the graph.
    /// </summary>
    public KeywordWeighting KeywordWeighting { get; init; } = KeywordWeighting.Uniform;

    /// <summary>Match keywords by their light stems ("painted" meets "paint"). Released: off.</summary>
    public bool StemKeywords { get; init; }

    /// <summary>
    /// A memory is also indexed under the keywords of the memory before it in its thread: a reply inherits the
    /// topic of the turn it answers ("What are you painting?" — "A sunrise."). Released: off.
    /// </summary>
    public bool InheritPreviousKeywords { get; init; }

    /// <summary>
    /// Weight of the associative edge between a memory and the previous memory that mentions the same entity
    /// (<see cref="Text.EntityExtractor"/>; speaker names excluded), so that spreading follows an entity across
    /// sessions. Zero (released): no entity edges.
    /// </summary>
    public float EntityEdgeWeight { get; init; }

    /// <summary>
    /// Which time the temporal decay γ = exp(−Δt/τ) measures Δt from. Default <see cref="TemporalDecayReference.None"/>
    /// (γ = 1): the released code's timestamp parser never matched the benchmark's dates, so the published
    /// figures have γ = 1, and measuring on LoCoMo (docs/evaluation.md) showed that neither "now" nor
    /// "newest memory" helps there: questions about the first sessions are as frequent as about the last.
    /// </summary>
    public TemporalDecayReference TemporalDecayReference { get; init; } = TemporalDecayReference.None;

    /// <summary>τ of the temporal decay, in seconds. Released: 1e7 (about 116 days).</summary>
    public double TemporalDecayTauSeconds { get; init; } = 1e7;

    /// <summary>θ: only nodes whose base score exceeds this spread activation. Released: 0.4.</summary>
    public float SpreadingThreshold { get; init; } = 0.4f;

    /// <summary>β: weight of the spread contributions. Released: 0.1. Zero switches spreading (and the flip pathway) off.</summary>
    public float SpreadingWeight { get; init; } = 0.1f;

    /// <summary>Weight of the temporal edge between consecutive turns of one conversation. Released: 0.5.</summary>
    public float TemporalEdgeWeight { get; init; } = 0.5f;

    /// <summary>η: Hebbian learning rate. Released: 0.02. Zero switches learning off.</summary>
    public float LearningRate { get; init; } = 0.02f;

    /// <summary>1 − λ: per-step decay of learned weights under <see cref="HebbianRule.DecayingAverage"/>. Released: 0.995.</summary>
    public float DecayFactor { get; init; } = 0.995f;

    /// <summary>Learned weights below this are pruned. Released: 0.01.</summary>
    public float PruneThreshold { get; init; } = 0.01f;

    /// <summary>
    /// The reinforcement rule. Default <see cref="HebbianRule.DecayingAverage"/>, the paper's rule; the released
    /// evaluation code used <see cref="HebbianRule.Additive"/> (no decay), which the LoCoMo reference row reproduces.
    /// </summary>
    public HebbianRule HebbianRule { get; init; } = HebbianRule.DecayingAverage;

    /// <summary>Learn on every retrieval (co-retrieval reinforcement, as released). Off: learning only through explicit <c>Reinforce</c> calls (reinforce on use).</summary>
    public bool ReinforceOnRetrieve { get; init; } = true;

    /// <summary>
    /// Relevance gate of co-retrieval reinforcement: only the best this-many items of the result by base score
    /// reinforce each other (pairs that were both strongly activated). Zero (released): every pair of the result.
    /// </summary>
    public int ReinforcementTopN { get; init; }

    /// <summary>k: size of the base-pathway result (with <see cref="RelativeCutoff"/>, its ceiling). Released: 15.</summary>
    public int TopK { get; init; } = 15;

    /// <summary>
    /// r of the relative cut (<see cref="Retrieval.RelativeCut"/>): of the best k base items keep those scoring at least
    /// r times the best one, at least <see cref="MinTopK"/>. Zero (released): no cut, always k.
    /// </summary>
    public float RelativeCutoff { get; init; }

    /// <summary>The fewest base items the relative cut keeps (at most <see cref="TopK"/>).</summary>
    public int MinTopK { get; init; }

    /// <summary>m: at most this many flipped nodes join the result. Released: 3.</summary>
    public int MaxFlipped { get; init; } = 3;

    /// <summary>How many semantic items (facts, agent knowledge) a retrieval returns. Released: 5.</summary>
    public int SemanticTopK { get; init; } = 5;

    /// <summary>At most this many profile items accompany a context (the ones closest to the query; HelaMem's default).</summary>
    public int ProfileMaxItems { get; init; } = 5;

    /// <summary>Remove the common component (first right-singular vector of the node matrix) from node and query vectors, as SIF prescribes.</summary>
    public bool RemoveCommonComponent { get; init; } = true;

    /// <summary>δ_hub: a node whose summed edge weight exceeds this is a hub (not published; HelaMem's default).</summary>
    public float HubThreshold { get; init; } = 2.0f;

    /// <summary>Neighbours of a hub with at least this edge weight join its consolidation cluster.</summary>
    public float ClusterMinWeight { get; init; } = 0.1f;

    /// <summary>At most this many nodes (hub included) per consolidation cluster, strongest edges first.</summary>
    public int MaxClusterSize { get; init; } = 8;

    /// <summary>How many of a cluster's most central sentences become facts.</summary>
    public int FactsPerCluster { get; init; } = 2;

    /// <summary>Forgetting: a node whose learned (Hebbian) degree is below this counts as weakly connected.</summary>
    public float ForgettingMaxLearnedDegree { get; init; } = 0.05f;

    /// <summary>Forgetting: only nodes at least this old are forgotten. Released: 30 days.</summary>
    public TimeSpan ForgettingMinAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Speakers whose turns are the assistant's own (their first-person statements become agent knowledge).</summary>
    public IReadOnlyList<string> AgentSpeakers { get; init; } = ["assistant", "agent"];

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid parameter.</summary>
    public void Validate()
    {
        RequireFinite(KeywordWeight, nameof(KeywordWeight), allowNegative: false);
        if (!(TemporalDecayTauSeconds > 0) || double.IsInfinity(TemporalDecayTauSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(TemporalDecayTauSeconds), TemporalDecayTauSeconds, "τ must be a positive, finite number of seconds.");
        }

        if (!Enum.IsDefined(TemporalDecayReference))
        {
            throw new ArgumentOutOfRangeException(nameof(TemporalDecayReference), TemporalDecayReference, "Unknown temporal decay reference.");
        }

        if (!Enum.IsDefined(KeywordWeighting))
        {
            throw new ArgumentOutOfRangeException(nameof(KeywordWeighting), KeywordWeighting, "Unknown keyword weighting.");
        }

        if (!Enum.IsDefined(HebbianRule))
        {
            throw new ArgumentOutOfRangeException(nameof(HebbianRule), HebbianRule, "Unknown Hebbian rule.");
        }

        RequireFinite(SpreadingThreshold, nameof(SpreadingThreshold), allowNegative: true);
        RequireFinite(SpreadingWeight, nameof(SpreadingWeight), allowNegative: false);
        RequireFinite(SpeakerWeight, nameof(SpeakerWeight), allowNegative: false);
        if (!(RelativeCutoff >= 0f && RelativeCutoff < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeCutoff), RelativeCutoff, "The relative cut r must be at least 0 (off) and below 1.");
        }

        if (MinTopK < 0 || MinTopK > TopK)
        {
            throw new ArgumentOutOfRangeException(nameof(MinTopK), MinTopK, $"The relative cut's floor must be 0 … k ({TopK}).");
        }
        RequireUnit(TemporalEdgeWeight, nameof(TemporalEdgeWeight));
        RequireUnit(EntityEdgeWeight, nameof(EntityEdgeWeight));
        RequireUnit(LearningRate, nameof(LearningRate));
        RequireUnit(PruneThreshold, nameof(PruneThreshold));
        if (!(DecayFactor > 0 && DecayFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DecayFactor), DecayFactor, "The decay factor 1 − λ must be in (0, 1].");
        }

        RequirePositive(TopK, nameof(TopK));
        RequireNonNegative(ReinforcementTopN, nameof(ReinforcementTopN));
        RequireNonNegative(MaxFlipped, nameof(MaxFlipped));
        RequireNonNegative(SemanticTopK, nameof(SemanticTopK));
        RequireNonNegative(ProfileMaxItems, nameof(ProfileMaxItems));
        RequireFinite(HubThreshold, nameof(HubThreshold), allowNegative: false);
        RequireUnit(ClusterMinWeight, nameof(ClusterMinWeight));
        RequirePositive(MaxClusterSize, nameof(MaxClusterSize));
        RequireNonNegative(FactsPerCluster, nameof(FactsPerCluster));
        RequireFinite(ForgettingMaxLearnedDegree, nameof(ForgettingMaxLearnedDegree), allowNegative: false);
        if (ForgettingMinAge < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ForgettingMinAge), ForgettingMinAge, "The forgetting age must not be negative.");
        }

        ArgumentNullException.ThrowIfNull(AgentSpeakers, nameof(AgentSpeakers));
    }

    private static void RequireFinite(float value, string name, bool allowNegative)
    {
        if (!float.IsFinite(value) || (!allowNegative && value < 0))
        {
            throw new ArgumentOutOfRangeException(name, value, allowNegative ? "Must be a finite number." : "Must be a finite, non-negative number.");
        }
    }

    private static void RequireUnit(float value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be between 0 and 1.");
        }
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }

    private static void RequireNonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must not be negative.");
        }
    }
}
