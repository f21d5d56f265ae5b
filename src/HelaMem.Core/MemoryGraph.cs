using HelaMem.Core.Consolidation;
using HelaMem.Core.Context;
using HelaMem.Core.Graph;
using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Semantic;
using HelaMem.Core.Text;

namespace HelaMem.Core;

/// <summary>
/// One user's memory graph in memory: the "core" engine. It composes the separable pieces the grains use
/// (the base index, per-node edge sets, spreading, the dual-pathway selector, Hebbian learning, consolidation,
/// forgetting, the semantic store and the context assembler). Not thread-safe: one owner at a time, like a grain.
/// </summary>
public sealed class MemoryGraph
{
    // The common direction is recomputed lazily once the graph has grown by this fraction since the last time.
    private const double CommonComponentGrowth = 0.1;

    // Decayed learned edges are swept out every this many steps, so that spreading does not keep visiting them.
    private const int PruneIntervalSteps = 128;

    private readonly ISentenceEmbedder _embedder;
    private readonly HebbianParameters _hebbian;
    private readonly List<MemoryNode> _nodes = [];
    private readonly Dictionary<string, int> _lastOfThread = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastMentionOfEntity = new(StringComparer.Ordinal);
    private readonly HashSet<string> _speakerNames = new(StringComparer.Ordinal);
    private readonly HashSet<int> _distilledHubs = [];
    private readonly float[] _queryVector;
    private EdgeSet?[] _edges = new EdgeSet?[64];

    // An upper bound of each node's degree (its degree when its edges last changed: learned weights only decay
    // in between), contiguous, so that spreading can rule nodes out without touching their edge sets.
    private float[] _degreeBounds = new float[64];

    // The temporal chain, contiguous, for the spreading fast path (see TemporalChain). A node is chain-only while
    // its edges are exactly its temporal links; learning, entity links and explicit links clear it.
    private int[] _chainPrevious = new int[64];
    private int[] _chainNext = new int[64];
    private bool[] _chainOnly = new bool[64];
    private bool[] _hasOtherStructural = new bool[64];
    private float[] _baseScores = new float[64];
    private float[] _spreadScores = new float[64];
    private ScoredIndex[] _scratch = [];
    private SelectedNode[] _selection = [];
    private int _commonComponentNodes = -1;

    /// <summary>Creates an empty graph.</summary>
    public MemoryGraph(ISentenceEmbedder embedder, HelaMemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        Options = options ?? HelaMemOptions.Default;
        Options.Validate();
        _embedder = embedder;
        _hebbian = HebbianParameters.From(Options);
        Index = new BaseIndex(embedder.Dimensions);
        Semantic = new SemanticStore(embedder.Dimensions);
        _queryVector = new float[embedder.Dimensions];
    }

    /// <summary>The parameters.</summary>
    public HelaMemOptions Options { get; }

    /// <summary>The base index (vectors, times, keywords).</summary>
    public BaseIndex Index { get; }

    /// <summary>The semantic memory distilled from this graph.</summary>
    public SemanticStore Semantic { get; }

    /// <summary>Completed learning steps (one per retrieval).</summary>
    public long Step { get; private set; }

    /// <summary>Nodes ever added.</summary>
    public int Count => _nodes.Count;

    /// <summary>The Hebbian parameters in use.</summary>
    public HebbianParameters Hebbian => _hebbian;

    /// <summary>A node by index.</summary>
    public MemoryNode GetNode(int index) => _nodes[index];

    /// <summary>
    /// A node's edges (an empty set if it has none), for reading. Change edges only through the graph (Add, Link,
    /// Reinforce, PruneEdges): it keeps every edge symmetric and its edge counts current, which spreading relies on.
    /// </summary>
    public EdgeSet GetEdges(int index)
    {
        _ = _nodes[index];
        return _edges[index] ??= new EdgeSet();
    }

    /// <summary>The edge weight i → j as it reads now.</summary>
    public float EdgeWeight(int from, int to) => _edges[from]?.Weight(to, Step, _hebbian) ?? 0f;

    /// <summary>Encodes a memory: embeds it, extracts its keywords, and links it to the previous memory of its thread.</summary>
    public int Add(NewMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (string.IsNullOrWhiteSpace(memory.Content))
        {
            throw new ArgumentException("A memory needs non-empty content.", nameof(memory));
        }

        _embedder.Embed(memory.Content, _queryVector);
        return Add(memory, _queryVector);
    }

    /// <summary>
    /// Encodes a memory whose embedding the caller computed with this graph's embedder (e.g. a whole batch at once
    /// through <see cref="SentenceEmbedding.EmbedAll(ISentenceEmbedder, IReadOnlyList{string}, Span{float})"/>).
    /// </summary>
    public int Add(NewMemory memory, ReadOnlySpan<float> embedding)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (string.IsNullOrWhiteSpace(memory.Content))
        {
            throw new ArgumentException("A memory needs non-empty content.", nameof(memory));
        }

        if (embedding.Length != _embedder.Dimensions)
        {
            throw new ArgumentException($"The embedding has {embedding.Length} components; {_embedder.Name} writes {_embedder.Dimensions}.", nameof(embedding));
        }

        ArgumentNullException.ThrowIfNull(memory.Thread, nameof(memory));
        var buffer = embedding;
        var keywords = KeywordExtractor.Extract(memory.Content, Options.StemKeywords);
        var hasPrevious = _lastOfThread.TryGetValue(memory.Thread, out var previous);
        IReadOnlyList<string> indexed = keywords;
        if (Options.InheritPreviousKeywords && hasPrevious)
        {
            indexed = [.. keywords.Union(_nodes[previous].Keywords, StringComparer.Ordinal)];
        }

        var index = Index.Add(buffer, memory.Timestamp, indexed, memory.Speaker);
        _nodes.Add(new MemoryNode(index, memory.Content, memory.Speaker, memory.Timestamp, keywords));
        EnsureNodeCapacity(index + 1);

        _chainPrevious[index] = -1;
        _chainNext[index] = -1;
        _chainOnly[index] = true;
        _hasOtherStructural[index] = false;
        if (hasPrevious && Options.TemporalEdgeWeight > 0)
        {
            LinkPair(previous, index, Options.TemporalEdgeWeight);
            _chainPrevious[index] = previous;
            _chainNext[previous] = index;
        }

        _lastOfThread[memory.Thread] = index;
        if (Options.EntityEdgeWeight > 0)
        {
            LinkEntities(memory, index);
        }

        return index;
    }

    // Each mention of an entity is linked to the previous one: a chain per entity, so spreading can follow it.
    private void LinkEntities(NewMemory memory, int index)
    {
        foreach (var name in Tokenizer.Tokenize(memory.Speaker))
        {
            _speakerNames.Add(name);
        }

        foreach (var entity in EntityExtractor.Extract(memory.Content, _speakerNames))
        {
            if (_lastMentionOfEntity.TryGetValue(entity, out var earlier) && earlier != index)
            {
                Link(earlier, index, Options.EntityEdgeWeight);
            }

            _lastMentionOfEntity[entity] = index;
        }
    }

    /// <summary>Adds a structural (non-learned) edge in both directions, e.g. an entity or session edge.</summary>
    public void Link(int a, int b, float weight)
    {
        if (a == b)
        {
            throw new ArgumentException("A node is not linked to itself.", nameof(b));
        }

        LinkPair(a, b, weight);
        _hasOtherStructural[a] = _hasOtherStructural[b] = true;
        _chainOnly[a] = _chainOnly[b] = false;
    }

    private void LinkPair(int a, int b, float weight)
    {
        GetEdges(a).AddStructural(b, weight);
        GetEdges(b).AddStructural(a, weight);
        RefreshDegreeBound(a);
        RefreshDegreeBound(b);
    }

    /// <summary>Recomputes the common component now (otherwise it is refreshed lazily as the graph grows).</summary>
    public void RefreshCommonComponent()
    {
        if (Options.RemoveCommonComponent)
        {
            Index.UpdateCommonComponent();
        }

        _commonComponentNodes = Count;
    }

    /// <summary>
    /// The allocation-free core of a retrieval: base scores, spreading, dual-pathway selection, for a query
    /// vector and keywords already computed. Does not learn. Writes into <paramref name="destination"/>
    /// (length ≥ TopK + MaxFlipped) and returns the count.
    /// </summary>
    public int Select(ReadOnlySpan<float> queryVector, IReadOnlyList<string> queryKeywords, DateTimeOffset now, Span<SelectedNode> destination)
    {
        EnsureCommonComponent();
        var n = Count;
        var baseScores = _baseScores.AsSpan(0, n);
        var spreadScores = _spreadScores.AsSpan(0, n);
        Index.ComputeBaseScores(queryVector, queryKeywords, now, Options, baseScores);
        EnsureScratch();
        var k = Options.TopK;
        var selected = TopK.Select(baseScores, k, _scratch.AsSpan(0, k));
        var maxFlipped = Options.SpreadingWeight > 0 ? Options.MaxFlipped : 0;
        var baseCount = RelativeCut.Apply(_scratch, selected, Options.RelativeCutoff, Options.MinTopK);
        var kthBase = RelativeCut.SpreadBound(_scratch, baseCount, selected, k, maxFlipped);
        SpreadingActivation.SpreadWhereItMatters(
            baseScores,
            _edges.AsSpan(0, n),
            _degreeBounds.AsSpan(0, n),
            kthBase,
            Options.SpreadingThreshold,
            Options.SpreadingWeight,
            Step,
            _hebbian,
            spreadScores,
            new TemporalChain(_chainPrevious.AsSpan(0, n), _chainNext.AsSpan(0, n), _chainOnly.AsSpan(0, n), Math.Min(1f, Options.TemporalEdgeWeight)));
        return DualPathwaySelector.Complete(baseScores, spreadScores, k, maxFlipped, baseCount, _scratch, destination);
    }

    /// <summary>
    /// A full retrieval: embeds the query, selects episodic items, learns (co-retrieval reinforcement, if on),
    /// retrieves semantic items and the profile, and assembles the context.
    /// </summary>
    public RetrievalResult Retrieve(string query, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new ArgumentException("The query must not be empty.", nameof(query));
        }

        _embedder.Embed(query, _queryVector);
        var keywords = KeywordExtractor.Extract(query, Options.StemKeywords);
        EnsureScratch();
        var count = Select(_queryVector, keywords, now, _selection);

        var memories = new RetrievedMemory[count];
        var selected = new int[count];
        for (var i = 0; i < count; i++)
        {
            var item = _selection[i];
            var node = _nodes[item.Index];
            node.RecordAccess(now);
            memories[i] = new RetrievedMemory(node, item.BaseScore, item.Score, item.Pathway);
            selected[i] = item.Index;
        }

        Step++;
        if (Options.ReinforceOnRetrieve)
        {
            ReinforceAtCurrentStep(CoActivated(selected));
        }

        if (_hebbian.Decays && Step % PruneIntervalSteps == 0)
        {
            PruneEdges();
        }

        var semanticQuery = ApplyCommonComponent(_queryVector);
        var knowledge = Semantic.Search(semanticQuery, Options.SemanticTopK);
        var profile = Semantic.ProfileFor(semanticQuery, Options.ProfileMaxItems);
        var context = ContextAssembler.Assemble(profile, knowledge, memories.Select(m => m.Node));
        return new RetrievalResult(memories, knowledge, profile, context);
    }

    /// <summary>
    /// Reinforces every pair of <paramref name="coactivated"/> (reinforce on use: the agent reports which
    /// items it used). Counts as the current step's learning; before any retrieval it opens step 1.
    /// </summary>
    public void Reinforce(ReadOnlySpan<int> coactivated)
    {
        foreach (var index in coactivated)
        {
            _ = _nodes[index];
        }

        if (Step == 0)
        {
            Step = 1;
        }

        ReinforceAtCurrentStep(coactivated);
    }

    /// <summary>Detects hubs and distills the ones not yet distilled into semantic memory.</summary>
    public ConsolidationReport Consolidate()
    {
        var hubs = HubDetector.FindHubs(_edges.AsSpan(0, Count), Step, _hebbian, Options.HubThreshold, i => !Index.IsArchived(i));
        var distilled = 0;
        var added = 0;
        foreach (var hub in hubs)
        {
            if (!_distilledHubs.Add(hub))
            {
                continue;
            }

            distilled++;
            var cluster = HubDetector.Cluster(hub, GetEdges(hub), Step, _hebbian, Options.ClusterMinWeight, Options.MaxClusterSize, i => !Index.IsArchived(i));
            var nodes = cluster.Select(i => _nodes[i]).ToList();
            foreach (var item in ExtractiveDistiller.Distill(nodes, i => Index.GetRow(i).ToArray(), Options))
            {
                _embedder.Embed(item.Text, _queryVector);
                if (Semantic.Add(item, ApplyCommonComponent(_queryVector)))
                {
                    added++;
                }
            }
        }

        return new ConsolidationReport(hubs.Count, distilled, added);
    }

    /// <summary>Archives every node the forgetting policy selects at <paramref name="now"/>; returns how many.</summary>
    public int Forget(DateTimeOffset now)
    {
        var forgotten = 0;
        for (var i = 0; i < Count; i++)
        {
            if (Index.IsArchived(i))
            {
                continue;
            }

            var learned = _edges[i]?.LearnedDegree(Step, _hebbian) ?? 0f;
            if (ForgettingPolicy.ShouldForget(_nodes[i], learned, now, Options) && Index.Archive(i))
            {
                forgotten++;
            }
        }

        return forgotten;
    }

    /// <summary>Removes decayed learned edges everywhere; returns how many.</summary>
    public int PruneEdges()
    {
        var removed = 0;
        for (var i = 0; i < Count; i++)
        {
            if (_edges[i] is { } nodeEdges)
            {
                removed += nodeEdges.Prune(Step, _hebbian);
                RefreshDegreeBound(i);
                var temporalLinks = (_chainPrevious[i] >= 0 ? 1 : 0) + (_chainNext[i] >= 0 ? 1 : 0);
                _chainOnly[i] = !_hasOtherStructural[i] && nodeEdges.Count == temporalLinks && nodeEdges.LearnedDegree(Step, _hebbian) == 0f;
            }
        }

        return removed;
    }

    // The released rule reinforces the whole result; the relevance gate keeps only the strongest base items.
    // Base items come first in the selection, best first, so the gate is a prefix.
    private ReadOnlySpan<int> CoActivated(int[] selected) =>
        Options.ReinforcementTopN > 0 && Options.ReinforcementTopN < selected.Length
            ? selected.AsSpan(0, Options.ReinforcementTopN)
            : selected;

    private void ReinforceAtCurrentStep(ReadOnlySpan<int> coactivated)
    {
        if (Options.LearningRate == 0f)
        {
            return;
        }

        for (var a = 0; a < coactivated.Length; a++)
        {
            for (var b = 0; b < coactivated.Length; b++)
            {
                if (coactivated[a] != coactivated[b])
                {
                    GetEdges(coactivated[a]).Reinforce(coactivated[b], Step, _hebbian);
                }
            }

            RefreshDegreeBound(coactivated[a]);
            _chainOnly[coactivated[a]] = false;
        }
    }

    private void RefreshDegreeBound(int index) =>
        _degreeBounds[index] = _edges[index]?.Degree(Step, _hebbian) ?? 0f;

    private ReadOnlySpan<float> ApplyCommonComponent(float[] vector)
    {
        var direction = Index.CommonDirection;
        if (direction.Length > 0)
        {
            CommonComponent.Remove(vector, direction);
        }

        return vector;
    }

    private void EnsureCommonComponent()
    {
        if (_commonComponentNodes < 0 || Count > _commonComponentNodes * (1 + CommonComponentGrowth))
        {
            RefreshCommonComponent();
        }
    }

    private void EnsureNodeCapacity(int needed)
    {
        if (needed <= _edges.Length)
        {
            return;
        }

        var capacity = Math.Max(needed, _edges.Length * 2);
        Array.Resize(ref _edges, capacity);
        Array.Resize(ref _degreeBounds, capacity);
        Array.Resize(ref _chainPrevious, capacity);
        Array.Resize(ref _chainNext, capacity);
        Array.Resize(ref _chainOnly, capacity);
        Array.Resize(ref _hasOtherStructural, capacity);
        Array.Resize(ref _baseScores, capacity);
        Array.Resize(ref _spreadScores, capacity);
    }

    private void EnsureScratch()
    {
        if (_scratch.Length < 2 * Options.TopK)
        {
            _scratch = new ScoredIndex[2 * Options.TopK];
            _selection = new SelectedNode[Options.TopK + Options.MaxFlipped];
        }
    }
}
