using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Core;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;
using HelaMem.Grains.Embedding;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.State;
using HelaMem.Grains.Placement;
using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace HelaMem.Grains.Graph;

/// <summary>
/// One user's memory graph: the base index, the learning step and the orchestration of ingest, retrieval and delete.
/// Retrieval runs the base pathway as one vectorised scan here, asks the seed node grains for their spreading
/// contributions in one concurrent fan-out, selects the dual-pathway result exactly as the core does, and sends the
/// result's Hebbian update one-way to its members.
/// </summary>
[GrainType("user-graph")]
[UserGraphPlacement]
public sealed partial class UserGraphGrain(
    [PersistentState("graph", HelaMemGrains.StorageName)] IPersistentState<GraphState> stored,
    HelaMemGrainOptions options,
    IGraphEmbedder embedder,
    ILogger<UserGraphGrain> logger) : Grain, IUserGraphGrain
{
    private string? _grainKey;

    // The grain's key, formatted once (Orleans formats it on every call otherwise).
    private string GrainKey => _grainKey ??= this.GetPrimaryKeyString();

    // The common direction is recomputed once the graph has grown by this fraction (as MemoryGraph does).
    private const double CommonComponentGrowth = 0.1;

    // Bounds are computed in float: a relative slack keeps them upper bounds whatever the rounding.
    private const float BoundSlack = 1.0001f;

    private readonly List<NodeSummary> _nodes = [];
    private readonly List<long> _lastReinforcementOf = [];

    // Nodes sent a one-way Hebbian update since consolidation last took a snapshot (their hub reports may be in flight).
    private readonly HashSet<int> _reinforcedSinceSnapshot = [];
    private readonly List<float> _learnedBounds = [];

    // The step each learned-degree bound is valid at: read later, it decays with the node's weights (LearnedEdgeBounds.DecayDegree).
    private readonly List<long> _learnedBoundSteps = [];


    // Each node's structural edges (laid down at encoding, never learned): with the learned bounds they bound the
    // activation a node can pull, so spreading asks only the nodes whose spread score can change the result.
    private readonly List<List<StructuralEdge>> _structural = [];
    private readonly HashSet<string> _speakerNames = new(StringComparer.Ordinal);
    private IMemoryNodeGrain?[] _nodeGrains = [];
    private GraphKey _key;
    private HelaMemOptions _algorithm = HelaMemOptions.Default;
    private string _profile = RetrievalProfiles.PaperName;
    private BaseIndex _index = null!;

    // Per node and learned neighbour, an upper bound of the learned weight (every update sent since the node last
    // reported no learned weight, replayed): bounds a node's learned pull by its actual seed neighbours, and tells
    // when no learned edge can carry activation at all, so the graph computes the pull itself.
    private LearnedEdgeBounds _learnedEdges = null!;
    private float[] _baseScores = [];
    private float[] _spreadScores = [];
    private ScoredIndex[] _scratch = [];
    private SelectedNode[] _selection = [];
    private readonly OrderedWrites _writes = new();
    private IGrainTimer? _flushTimer;
    private bool _dirty;

    // While an ingest or a delete runs, the in-memory state is ahead of (or behind) what the node grains hold: the
    // interleaving flush leaves it alone, and the ingest or delete writes it itself. After a failed ingest nothing
    // in memory may be written at all: the next activation starts over from what is durable.
    private bool _stateInFlux;
    private bool _stateDiscarded;
    private static readonly SemanticSearchResult EmptySemantic = new([], []);
    private bool _consolidationScheduled;
    private bool _semanticMayHoldItems = true;
    private long _retrievalsToReport;
    private int _maxMessages;

    // Content → first live memory with it, for de-duplication (null until the first ingest that asks for it).
    private Dictionary<string, long>? _contentIds;
    private int _maxLength;

    private GraphState Graph => stored.State;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = GraphKey.Parse(GrainKey);

        // Orleans registers an activation in the grain directory before it calls OnActivateAsync, so this line marks a
        // registered activation: two lifetimes of one graph that overlap on different silos are a duplicate activation.
        GrainLog.GraphActivationStarted(logger, GrainKey, GrainContext.ActivationId, RuntimeIdentity);
        var tenant = GrainFactory.GetGrain<ITenantGrain>(_key.Tenant);
        var settings = await tenant.Settings();

        // A graph keeps the profile it was created with (stored at its first ingest); one with nodes but none predates
        // profiles and ran the paper's algorithm; an empty one takes the tenant's current profile.
        _profile = Graph.Profile ?? (Graph.NodeCount > 0 ? RetrievalProfiles.PaperName : await tenant.RetrievalProfile());
        // The tenant's k goes in before the profile, which may scale it (helamem-3's relative cut keeps 0.8k … 2k).
        var profiled = RetrievalProfiles.Apply(options.Algorithm with { TopK = settings.TopK ?? options.Algorithm.TopK }, _profile);
        if ((profiled.HebbianRule, profiled.LearningRate, profiled.DecayFactor, profiled.PruneThreshold)
            != (options.Algorithm.HebbianRule, options.Algorithm.LearningRate, options.Algorithm.DecayFactor, options.Algorithm.PruneThreshold))
        {
            // Node grains learn with the silo's Hebbian parameters (HebbianParameters.From(options.Algorithm)); a profile
            // that changed them would split the rule between the graph's bounds and its nodes (helamem keeps the
            // decaying rule of HelaMemOptions.Default, so only a silo configured with another rule gets here).
            throw new InvalidOperationException(
                $"Retrieval profile '{_profile}' changes the Hebbian rule of the silo's algorithm ({options.Algorithm.HebbianRule}); configure the silo with the decaying rule or use profile '{RetrievalProfiles.PaperName}'.");
        }

        _algorithm = profiled with { MaxFlipped = settings.MaxFlipped ?? profiled.MaxFlipped };
        _algorithm.Validate();
        _learnedEdges = new LearnedEdgeBounds(_algorithm);
        _maxMessages = Math.Min(options.MaxMessagesPerIngest, settings.MaxMessagesPerIngest);
        if (Graph.UnreportedRetrievals > 0)
        {
            // Retrievals kept over a silo shutdown: the first flush reports them to the tenant.
            MarkDirty();
        }

        _maxLength = Math.Min(options.MaxTextLength, settings.MaxMessageLength);
        _index = new BaseIndex(embedder.Dimensions, (int)Math.Max(64, Graph.NodeCount));
        _speakerNames.UnionWith(Graph.SpeakerNames);
        _scratch = new ScoredIndex[2 * _algorithm.TopK];
        _selection = new SelectedNode[_algorithm.TopK + _algorithm.MaxFlipped];
        _embedderName = await embedder.NameForAsync(_key.Tenant, cancellationToken);
        CheckEmbedder();
        _indexHoldsVectors = _embedderMismatch is null;
        if (Graph.NodeCount > 0)
        {
            await RebuildIndexAsync();
            _semanticMayHoldItems = (await GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).Items()).Count > 0;
        }
        else
        {
            _semanticMayHoldItems = false;
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        GrainLog.GraphActivationStopping(logger, GrainKey, GrainContext.ActivationId, RuntimeIdentity, reason.ReasonCode);
        _flushTimer?.Dispose();
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            // The tenant grain may already be gone on a stopping silo: keep the count for the next activation.
            if (_retrievalsToReport > 0)
            {
                Graph.UnreportedRetrievals += _retrievalsToReport;
                _retrievalsToReport = 0;
                _dirty = true;
            }
        }
        else
        {
            ReportRetrievals();
        }

        if (_dirty && !_stateDiscarded)
        {
            await WriteStateAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task<GraphStats> Stats() =>
        Task.FromResult(new GraphStats(_index.Count, _index.ActiveCount, _index.ArchivedCount, Graph.Step, Graph.Retrievals));

    /// <inheritdoc />
    public async Task<GraphSnapshot> Snapshot()
    {
        if (_embedderMismatch is not null)
        {
            // Nothing to consolidate until the graph is re-embedded: its vectors are out of the index.
            return new GraphSnapshot(Graph.Step, [], [], []);
        }

        var reportedHubs = await SettleHubReportsAsync();
        var active = new List<long>(_index.ActiveCount);
        for (var i = 0; i < _index.Count; i++)
        {
            if (!_index.IsArchived(i))
            {
                active.Add(i);
            }
        }

        return new GraphSnapshot(Graph.Step, active, _index.CommonDirection.ToArray(), reportedHubs);
    }

    // Waits until every node reinforced since the last snapshot has applied its update, and collects those that
    // reported themselves as hubs: consolidation then sees every hub the core's scan would, whatever the order in which
    // the one-way updates and reports arrive.
    private async Task<List<long>> SettleHubReportsAsync()
    {
        var pending = _reinforcedSinceSnapshot.ToList();
        _reinforcedSinceSnapshot.Clear();
        var hubs = new List<long>();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt > options.SpreadRetries)
            {
                throw new TimeoutException($"Graph {_key}: {pending.Count} nodes did not apply their last Hebbian update in time.");
            }

            if (attempt > 0)
            {
                await Task.Delay(1);
            }

            var answers = await Task.WhenAll(pending.Select(node => NodeGrain(node).SettledHubReport(_lastReinforcementOf[node])));
            var stillPending = new List<int>();
            for (var i = 0; i < pending.Count; i++)
            {
                if (answers[i] is not { } reported)
                {
                    stillPending.Add(pending[i]);
                }
                else if (reported)
                {
                    hubs.Add(pending[i]);
                }
            }

            pending = stillPending;
        }

        hubs.Sort();
        return hubs;
    }

    /// <inheritdoc />
    public Task<int> Archive(IReadOnlyList<long> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var node in nodes)
        {
            RequireNode(node, nameof(nodes));
        }

        var archived = 0;
        foreach (var node in nodes)
        {
            archived += _index.Archive((int)node) ? 1 : 0;
        }

        return Task.FromResult(archived);
    }

    // A node's reference is built once: node ids are never reused and references are immutable, and formatting the
    // key and resolving the proxy on every call cost more than the local call itself on a retrieval's 30-odd calls.
    private IMemoryNodeGrain NodeGrain(long node)
    {
        if (node >= _nodeGrains.Length)
        {
            Array.Resize(ref _nodeGrains, (int)Math.Max(node + 1, Math.Max(64, 2L * _nodeGrains.Length)));
        }

        return _nodeGrains[node] ??= GrainFactory.GetGrain<IMemoryNodeGrain>(_key.Node(node).ToString());
    }

    private void RequireNode(long node, string parameter)
    {
        if (node < 0 || node >= _index.Count)
        {
            throw new ArgumentException($"Node {node} does not exist in graph {_key}; it has {_index.Count} nodes.", parameter);
        }
    }

    private async Task RebuildIndexAsync()
    {
        var count = checked((int)Graph.NodeCount);
        var reads = new Task<NodeData?>[count];
        for (var i = 0; i < count; i++)
        {
            reads[i] = NodeGrain(i).Read(Graph.Step);
        }

        var nodes = await Task.WhenAll(reads);

        // An ingest cut off after its node writes and before the graph's commit leaves edges from committed nodes to
        // ids the graph never took (the next ingest reuses them): they are not part of the graph.
        var uncommitted = 0;
        for (var i = 0; i < count; i++)
        {
            if (nodes[i] is { } read && read.Edges.Any(e => e.Neighbour >= count))
            {
                uncommitted += read.Edges.Count(e => e.Neighbour >= count);
                nodes[i] = read with { Edges = [.. read.Edges.Where(e => e.Neighbour < count)] };
            }
        }

        if (uncommitted > 0)
        {
            GrainLog.UncommittedEdgesIgnored(logger, GrainKey, uncommitted);
        }

        _learnedEdges = new LearnedEdgeBounds(_algorithm);
        var maxStep = Graph.Step;
        var maxReinforcement = Graph.LastReinforcementId;
        var zero = new float[embedder.Dimensions];
        for (var i = 0; i < count; i++)
        {
            var node = nodes[i];
            if (node is null)
            {
                // A node whose state is gone (a damaged store): keep its id, never retrieve it.
                _index.Add(zero, DateTimeOffset.UnixEpoch, []);
                _index.Archive(i);
                _nodes.Add(new NodeSummary("", "", DateTimeOffset.UnixEpoch, [], null, Deleted: true));
                _lastReinforcementOf.Add(0);
                _learnedBounds.Add(0f);
                _learnedBoundSteps.Add(0);
                _learnedEdges.AddNode();
                _structural.Add([]);
                continue;
            }

            // Vectors of another embedder are not comparable (nor, often, of the same length): kept out of the index
            // until a re-embedding replaces them; ingest and search are refused meanwhile.
            _index.Add(_embedderMismatch is null ? node.Embedding.ToArray() : zero, node.Timestamp, node.IndexedKeywords, node.Speaker);
            if (node.Archived)
            {
                _index.Archive(i);
            }

            _nodes.Add(new NodeSummary(node.Content, node.Speaker, node.Timestamp, [.. node.Keywords], node.Metadata, node.Role, node.Conversation,
                Version: node.Version));
            _lastReinforcementOf.Add(node.AppliedReinforcementId);
            _learnedBounds.Add(node.LearnedDegree * BoundSlack);
            _learnedBoundSteps.Add(0);
            _learnedEdges.AddNode();
            _structural.Add([.. node.Edges.Where(e => e.StructuralWeight > 0f).Select(e => new StructuralEdge(e.Neighbour, e.StructuralWeight))]);
            maxStep = Math.Max(maxStep, node.LastStep);
            maxReinforcement = Math.Max(maxReinforcement, node.AppliedReinforcementId);
        }

        // Node updates may have been flushed after the graph's last write: never reuse a step or an id they saw.
        Graph.Step = maxStep;
        Graph.LastReinforcementId = maxReinforcement;

        // The degrees were read at the stored step, but a node may have applied updates after it (its edges then
        // carry later steps and read undecayed): they bound the learned weights from the largest step any node saw.
        for (var i = 0; i < count; i++)
        {
            _learnedBoundSteps[i] = maxStep;
        }
        for (var i = 0; i < count; i++)
        {
            if (nodes[i] is { } node)
            {
                _learnedEdges.Restore(i, node.Edges, maxStep, BoundSlack);
            }
        }

        RestoreCommonComponent();
        EnsureScoreCapacity();
        GrainLog.GraphRebuilt(logger, GrainKey, count, Graph.Step);
    }

    // Recomputes the direction over exactly the rows it was last computed over, so a restarted graph scores like
    // the one before the restart (the core recomputes it lazily the same way).
    private void RestoreCommonComponent()
    {
        var rows = Math.Min(Graph.CommonComponentNodes, _index.Count);
        if (rows < 0 || !_algorithm.RemoveCommonComponent)
        {
            return;
        }

        var direction = new float[_index.Dimensions];
        if (CommonComponent.Compute(_index.Rows, _index.Dimensions, rows, i => !_index.IsArchived(i), direction))
        {
            _index.SetCommonComponent(direction);
        }
    }

    private void EnsureCommonComponent()
    {
        var computedAt = Graph.CommonComponentNodes;
        if (computedAt < 0 || _index.Count > computedAt * (1 + CommonComponentGrowth))
        {
            if (_algorithm.RemoveCommonComponent)
            {
                _index.UpdateCommonComponent();
            }

            Graph.CommonComponentNodes = _index.Count;
            MarkDirty();
        }
    }

    private void EnsureScoreCapacity()
    {
        if (_baseScores.Length < _index.Count)
        {
            var capacity = Math.Max(_index.Count, _baseScores.Length * 2);
            _baseScores = new float[capacity];
            _spreadScores = new float[capacity];
        }
    }

    private void MarkDirty()
    {
        if (_dirty)
        {
            return;
        }

        _dirty = true;
        if (_flushTimer is null)
        {
            // Interleaving: retrievals go on while the flush waits for the disk.
            _flushTimer = this.RegisterGrainTimer(FlushTickAsync, new GrainTimerCreationOptions(options.WeightFlushInterval, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
        else
        {
            _flushTimer.Change(options.WeightFlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void ReportRetrievals()
    {
        if (_retrievalsToReport > 0)
        {
            _ = GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).CountRetrievals(_retrievalsToReport);
            _retrievalsToReport = 0;
        }

        if (Graph.UnreportedRetrievals > 0)
        {
            // Kept over a silo shutdown; the state written with this flush no longer holds them.
            _ = GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).CountRetrievals(Graph.UnreportedRetrievals);
            Graph.UnreportedRetrievals = 0;
        }
    }

    // Every write waits for the one before it (see OrderedWrites) and then writes the state as it is at that moment.
    private Task WriteStateAsync(CancellationToken cancellationToken = default) =>
        _writes.RunAsync(() =>
        {
            _dirty = false;
            return stored.WriteStateAsync(cancellationToken);
        });

    private async Task FlushTickAsync(CancellationToken cancellationToken)
    {
        if (!_dirty || _stateInFlux || _stateDiscarded)
        {
            return;
        }

        ReportRetrievals();
        try
        {
            await WriteStateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            GrainLog.GraphFlushFailed(logger, GrainKey, exception);
            MarkDirty();
        }
    }
}
